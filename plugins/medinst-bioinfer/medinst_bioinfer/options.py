"""The options schema of the ``bioinfer_xml`` reader (kept apart so that registering
the reader imports nothing heavy)."""

OPTIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "offset_end": {
            "enum": ["exclusive", "inclusive"],
            "default": "exclusive",
            "description": "whether the end of a charOffset piece is exclusive (BioInfer's PPI benchmark files) or inclusive",
        },
        "offset_check": {
            "enum": ["error", "warn"],
            "default": "error",
            "description": "a mention whose text differs from the sentence at its offsets is an error or a counted warning",
        },
        "interaction_type": {
            "type": "string",
            "minLength": 1,
            "default": "PPI",
            "description": "relation type of an <interaction> or <pair> that has no type attribute",
        },
    },
}
