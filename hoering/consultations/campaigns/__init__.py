"""Campaign groups: near-identical public remarks answered once."""
