"""One catalog per area of the app; ``smarterchat.i18n`` merges them and refuses a key
that two of them define."""
