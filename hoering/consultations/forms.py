"""Forms for consultations, responses, minutes import and remark processing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from hoering.accounts.models import Body, User
from hoering.consultations.bulk import MAX_REMARKS
from hoering.consultations.minutes.results import ParsedRemark
from hoering.consultations.models import Disposition, MaskingChoice, StandardReply
from hoering.consultations.queries import GENERAL
from hoering.core.clock import LOCAL_TZ
from hoering.core.form_rules import FlaskForm, Form, required, strip, text_required
from hoering.core.formatting import number_in_locale
from hoering.policies.models import Section

DEFAULT_DEADLINE_TIME = time(23, 59)

DISPOSITION_LABELS = {
    Disposition.INCORPORATED: _l("Indarbejdet"),
    Disposition.PARTLY_INCORPORATED: _l("Delvist indarbejdet"),
    Disposition.ALREADY_COVERED: _l("Allerede dækket"),
    Disposition.NOT_INCORPORATED: _l("Ikke indarbejdet"),
    Disposition.ATTENTION_POINT: _l("Opmærksomhedspunkt i implementeringen"),
    Disposition.NOTED: _l("Taget til efterretning"),
}


_date_message = _l("Skriv en dato, fx 30-04-2024.")


def local_deadline_to_utc(day: date, at: time | None) -> datetime:
    """A deadline entered in Danish time, stored in UTC (23:59 unless set otherwise)."""
    local = datetime.combine(day, at or DEFAULT_DEADLINE_TIME, tzinfo=LOCAL_TZ)
    return local.astimezone(UTC)


def utc_to_local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL_TZ)


def section_choices(sections: list[Section], *, placeholder: bool = False) -> list[SelectChoice]:
    """The parts of the draft a remark can concern, in the memo's order: each section (the
    first one, the framing, also for remarks on the draft as a whole, as the memo sorts
    them), then the general attention points (remarks beyond the text, e.g. on the
    implementation). ``placeholder``: first an empty choice, so that a new remark's part
    is chosen, never defaulted to the framing."""
    choices = [SelectChoice("", _l("Vælg en del af udkastet"))] if placeholder else []
    for section in sections:
        label = section.heading
        if section.position == 1:
            label = _l("%(heading)s (og udkastet som helhed)", heading=section.heading)
        choices.append(SelectChoice(str(section.id), label))
    choices.append(SelectChoice(GENERAL, GENERAL_CHOICE))
    return choices


GENERAL_CHOICE = _l("Generelle opmærksomhedspunkter – fx om implementeringen, ikke om et "
                    "bestemt afsnit")


def section_from_choice(value: str | None, sections: list[Section]) -> Section | None:
    if value in (None, "", GENERAL):
        return None
    section = next((s for s in sections if str(s.id) == value), None)
    if section is None:
        raise ValidationError(_l("Vælg et afsnit fra listen."))
    return section


def _optional_int(value: object) -> int | None:
    """A select's value as an int; "" (nothing chosen) as None."""
    if value in (None, ""):
        return None
    return int(str(value))


def body_choices(bodies: list[Body]) -> list[SelectChoice]:
    return [SelectChoice(b.id, f"{b.name} ({b.abbreviation})") for b in bodies]


def fill_imported_remarks(
    remarks: FieldList, proposals: Sequence[ParsedRemark], sections: list[Section]
) -> None:
    """``remarks`` (a FieldList of ImportedRemarkForm) holding ``proposals``, each in its
    proposed section, included; what was there before is dropped."""
    while remarks.entries:
        remarks.pop_entry()
    choices = section_choices(sections)
    for proposal in proposals:
        remarks.append_entry()
        entry = remarks[-1].form
        entry.section.choices = choices
        entry.text.data = proposal.text
        section = section_at(sections, proposal.section_position)
        entry.section.data = str(section.id) if section else GENERAL
        entry.include.data = True


def section_at(sections: list[Section], position: int | None) -> Section | None:
    """The section at a 1-based ``position`` of the version (None: general)."""
    return next((s for s in sections if s.position == position), None)


class CheckboxListField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ConsultationForm(FlaskForm):
    title = StringField(_l("Titel"), validators=[required, Length(max=300)])
    opens_on = DateField(_l("Åbner"), validators=[required], format="%Y-%m-%d")
    deadline_date = DateField(_l("Høringsfrist (dato)"), validators=[required],
                              format="%Y-%m-%d")
    deadline_time = TimeField(
        _l("Høringsfrist (klokkeslæt)"), default=DEFAULT_DEADLINE_TIME,
        description=_l("Dansk tid. Normalt 23:59."), validators=[Optional()],
    )
    invitation_text = TextAreaField(_l("Invitation til høringsparterne"),
                                    validators=[Length(max=20_000)])
    public = BooleanField(_l("Borgere og foreninger kan også afgive høringssvar"))
    # Only when editing: who in the secretariat is in charge (a new one: its creator).
    responsible = SelectField(
        _l("Ansvarlig i sekretariatet"), coerce=_optional_int,
        description=_l("Får kvitteringerne, når et organ afgiver høringssvar."))
    bodies = CheckboxListField(_l("Høringsparter"), coerce=int)
    # Only for an opened consultation whose deadline is moved.
    deadline_reason = TextAreaField(
        _l("Hvorfor flyttes fristen?"), filters=[strip], validators=[Length(max=2_000)],
        description=_l("Sendes til høringsparterne sammen med den nye frist."))
    confirm_deadline = BooleanField(
        _l("Jeg vil flytte fristen, og høringsparterne skal have besked"))

    def validate_deadline_date(self, field) -> None:
        if self.opens_on.data and field.data and field.data < self.opens_on.data:
            raise ValidationError(_l("Høringsfristen skal ligge efter åbningsdatoen."))

    @property
    def closes_at(self) -> datetime:
        return local_deadline_to_utc(self.deadline_date.data, self.deadline_time.data)


class ConsulteeDeadlineForm(FlaskForm):
    deadline_date = DateField(_l("Individuel frist (dato)"), validators=[Optional()],
                              format="%Y-%m-%d",
                              description=_l("Tom: høringens almindelige frist."))
    deadline_time = TimeField(_l("Klokkeslæt"), default=DEFAULT_DEADLINE_TIME,
                              description=_l("Dansk tid."), validators=[Optional()])

    @property
    def deadline(self) -> datetime | None:
        if self.deadline_date.data is None:
            return None
        return local_deadline_to_utc(self.deadline_date.data, self.deadline_time.data)


class RemarkForm(FlaskForm):
    section = SelectField(
        _l("Hvilken del af udkastet drejer bemærkningen sig om?"),
        description=_l("Bemærkninger til udkastet som helhed hører under det første afsnit; "
                       "generelle opmærksomhedspunkter er dem, der ikke handler om teksten, "
                       "fx om implementeringen."),
        validators=[InputRequired(message=_l("Vælg den del af udkastet, bemærkningen "
                                             "handler om."))])
    text = TextAreaField(_l("Bemærkning"), filters=[strip],
                         validators=[text_required, Length(max=20_000)])


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Begrundelse"), filters=[strip],
                           validators=[text_required, Length(max=2000)])


MAX_MINUTES_FILES = 20
MINUTES_FILE_TYPES = ".pdf,.docx,.odt,.txt,.md"


class MinutesForm(FlaskForm):
    """Step 1: referats to upload, or text to paste; the body, date and item are read from
    each document and may be given here for what a document does not say."""

    files = MultipleFileField(
        _l("Referater"),
        description=_l("Et eller flere referater: PDF, Word (.docx), OpenDocument (.odt) "
                       "eller tekst. Højst %(n)d filer.", n=MAX_MINUTES_FILES),
    )
    text = TextAreaField(
        _l("… eller indsæt teksten"),
        description=_l("Beslutningen, hele punktet eller hele referatet."),
        validators=[Length(max=200_000)],  # empty only with a file (validate_text)
    )
    body_id = SelectField(_l("Organ"), coerce=_optional_int, validators=[Optional()],
                          description=_l("Læses af referatet, hvis du ikke vælger."))
    meeting_date = DateField(_l("Mødedato"), validators=[Optional()], format="%Y-%m-%d")
    agenda_item = IntegerField(
        _l("Punkt nr."), validators=[Optional(), NumberRange(min=1, max=999)]
    )

    def uploads(self) -> list[tuple[str, bytes]]:
        """(file name, content) of each chosen file (the browser sends an empty part for
        none); read once."""
        if not hasattr(self, "_uploads"):
            self._uploads = [
                (upload.filename, upload.read())
                for upload in self.files.data or [] if upload and upload.filename
            ]  # fmt: skip
        return self._uploads

    def validate_files(self, field) -> None:
        if len(self.uploads()) > MAX_MINUTES_FILES:
            raise ValidationError(_l("Højst %(n)d filer ad gangen.", n=MAX_MINUTES_FILES))

    def validate_text(self, field) -> None:
        if not (field.data or "").strip() and not self.uploads():
            raise ValidationError(_l("Vælg et referat, eller indsæt teksten fra referatet."))


class ImportedRemarkForm(Form):
    text = TextAreaField(_l("Bemærkning"), filters=[strip],
                         validators=[text_required, Length(max=20_000)])
    section = SelectField(_l("Afsnit"), validators=[required])
    include = BooleanField(_l("Medtag"), default=True)


class MinutesDocumentForm(Form):
    """One document on the review page: what was read, for staff to correct."""

    name = HiddenField(validators=[Length(max=255)])
    text = TextAreaField(validators=[required, Length(max=2_000_000)])
    include = BooleanField(_l("Gem dette referat"), default=True)
    body_id = SelectField(_l("Organ"), coerce=_optional_int, validators=[required])
    meeting_date = DateField(_l("Mødedato"), validators=[required], format="%Y-%m-%d")
    agenda_item = IntegerField(
        _l("Punkt nr."), validators=[Optional(), NumberRange(min=1, max=999)]
    )
    remarks = FieldList(FormField(ImportedRemarkForm))

    def validate(self, extra_validators=None) -> bool:
        """A document staff leave out is not checked (nor saved)."""
        if not self.include.data:
            return True
        return bool(super().validate(extra_validators))


class AttachmentRemarksForm(FlaskForm):
    """Remarks proposed from an attached file's text, for staff to correct and save."""

    remarks = FieldList(FormField(ImportedRemarkForm), max_entries=500)


class MinutesReviewForm(FlaskForm):
    """Step 2: every document read, reviewed together; nothing is saved before "save"."""

    documents = FieldList(FormField(MinutesDocumentForm), max_entries=MAX_MINUTES_FILES)


# The remark page shows the next three forms together: their fields get distinct ids.


class MoveRemarkForm(FlaskForm):
    section = SelectField(_l("Flyt til afsnit"), validators=[required], id="move_section")


class MemoWordingForm(FlaskForm):
    text = TextAreaField(_l("Ordlyd i høringsnotatet"), filters=[strip],
                         validators=[text_required, Length(max=20_000)], id="memo_text")


class SplitRemarkForm(FlaskForm):
    text = TextAreaField(
        _l("Del bemærkningen op"), filters=[strip], id="split_text",
        description=_l("Sæt en linje med kun --- mellem delene. Første del bliver "
                       "bemærkningens ordlyd i notatet; hver af de øvrige bliver en ny "
                       "bemærkning fra samme afsender. Den oprindelige ordlyd bevares."),
        validators=[text_required, Length(max=100_000)],
    )


def disposition_choices() -> list[SelectChoice]:
    """No disposition is chosen beforehand: the first option is empty."""
    return [SelectChoice("", _l("Vælg behandling")),
            *(SelectChoice(d.value, label) for d, label in DISPOSITION_LABELS.items())]


choose_disposition = InputRequired(message=_l("Vælg en behandling."))


def standard_reply_choices(standards: Sequence[StandardReply]) -> list[SelectChoice]:
    """The standard replies to insert, grouped by disposition."""
    return [SelectChoice("", _l("Vælg standardsvar")),
            *(SelectChoice(str(s.id), s.title, optgroup=DISPOSITION_LABELS[s.disposition])
              for s in standards)]


class ReplyForm(FlaskForm):
    text = TextAreaField(_l("Administrationens bemærkning"), filters=[strip],
                         validators=[text_required, Length(max=20_000)], id="reply_text")
    disposition = SelectField(_l("Behandling"), choices=disposition_choices(),
                              validators=[choose_disposition])
    # Inserting a standard reply (its id) re-renders the form with its text; no save.
    standard_reply = SelectField(_l("Standardsvar"), coerce=_optional_int,
                                 validate_choice=False, validators=[Optional()])
    # the reply's version the page was made from (optimistic locking); a number
    lock_version = HiddenField(validators=[Optional(), Regexp(
        r"^\d{1,9}$", message=_l("Siden er forældet. Genindlæs den, og prøv igen."))])

    @property
    def based_on_version(self) -> int | None:
        return int(self.lock_version.data) if self.lock_version.data else None


class LinkChangeForm(FlaskForm):
    # A section's id, or "<id>:<quote>" for one of its changed passages (see
    # hoering.consultations.revision.Passage.quote); grouped by section.
    section_id = SelectField(
        _l("Ændring i den reviderede version"), coerce=str,
        description=_l("Vælg hele afsnittet, eller den ændrede tekst i det, som besvarer "
                       "bemærkningen."),
        validators=[DataRequired(message=_l("Vælg et afsnit."))], id="change_section")

    @property
    def section_and_passage(self) -> tuple[int, str | None]:
        section_id, _sep, quote = self.section_id.data.partition(":")
        return int(section_id), quote or None


class LinkRemarksForm(FlaskForm):
    """The remarks a section's change answers (checkboxes rendered by the template)."""

    remark_ids = SelectMultipleField(_l("Bemærkninger"), coerce=int)


class StandardReplyForm(FlaskForm):
    disposition = SelectField(_l("Behandling"), choices=disposition_choices(),
                              validators=[choose_disposition],
                              description=_l("Standardsvaret foreslås til svar med denne "
                                             "behandling."))
    title = StringField(_l("Titel"), filters=[strip],
                        validators=[text_required, Length(max=200)],
                        description=_l("Det, du vælger standardsvaret ud fra."))
    text = TextAreaField(_l("Tekst"), filters=[strip],
                         validators=[text_required, Length(max=20_000)])


def _at_most_max_remarks(form, field) -> None:
    if len(field.data or []) > MAX_REMARKS:
        raise ValidationError(_l("Der kan højst behandles %(n)s bemærkninger ad gangen.",
                                 n=number_in_locale(MAX_REMARKS)))


ALL_FILTERED = "alle"  # the inbox selection's scope: everything the filter matches


class BulkSelectionForm(FlaskForm):
    """The inbox's selection: the remarks ticked on the page, or all that match the
    filter (on every page)."""

    remark_ids = SelectMultipleField(_l("Valgte bemærkninger"), coerce=int,
                                     validate_choice=False, validators=[_at_most_max_remarks])
    scope = SelectField(_l("Hvilke bemærkninger?"),
                        choices=[SelectChoice("valgte", _l("De markerede")),
                                 SelectChoice(ALL_FILTERED, _l("Alle, der matcher filteret"))],
                        default="valgte")

    @property
    def all_filtered(self) -> bool:
        return bool(self.scope.data == ALL_FILTERED)


class BulkMoveForm(BulkSelectionForm):
    section = SelectField(_l("Flyt til afsnit"), id="bulk_section",
                          validators=[InputRequired(message=_l("Vælg et afsnit."))])

    def fill(self, sections: list[Section]) -> None:
        self.section.choices = section_choices(sections, placeholder=True)


NOBODY = "ingen"  # the assignment that takes it away


class BulkAssignForm(BulkSelectionForm):
    assignee = SelectField(_l("Tildel til"), id="bulk_assignee",
                           validators=[InputRequired(message=_l("Vælg en kollega."))])

    def fill(self, colleagues: Sequence[User]) -> None:
        self.assignee.choices = [
            SelectChoice("", _l("Vælg kollega")),
            *(SelectChoice(str(user.id), user.name) for user in colleagues),
            SelectChoice(NOBODY, _l("Ingen (fjern tildelingen)")),
        ]


def staff_choices(staff: list[User]) -> list[SelectChoice]:
    """The staff a consultation's responsible can be, and "nobody"."""
    return [SelectChoice("", _l("Ingen")), *(SelectChoice(u.id, u.name) for u in staff)]


MASKING_CHOICES = [SelectChoice(MaskingChoice.MASK.value, _l("Skjul")),
                   SelectChoice(MaskingChoice.KEEP.value, _l("Behold"))]


class FindingChoiceForm(Form):
    """One finding of personal data: mask it (the default) or keep it."""

    key = HiddenField(validators=[Length(max=200)])
    choice = RadioField(_l("Afgørelse"), choices=MASKING_CHOICES,
                        default=MaskingChoice.MASK.value)


class MaskingForm(FlaskForm):
    findings = FieldList(FormField(FindingChoiceForm), max_entries=500)

    def choices(self) -> dict[str, MaskingChoice]:
        return {entry.form.key.data: MaskingChoice(entry.form.choice.data)
                for entry in self.findings}
