"""The outbox: the e-mails to be sent, each added in the transaction of the action that
causes it. Sending them is hoering.mail's (above the accounts, whose links the sender
fills in as it sends); adding them is allowed to every domain, the accounts included."""
