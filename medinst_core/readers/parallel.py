"""Line-aligned parallel text reader (``parallel_text``).

Files
-----
Roles ``text_1`` and ``text_2``: one file each, one sentence per line, line
*n* of one file translating line *n* of the other (ParaMed's
``nejm.test.zh`` / ``nejm.test.en``).  Different line counts are an error
naming both files and both counts.

Records
-------
One :class:`~medinst_core.records.T2TRecord` per line pair, ids ``"0"``,
``"1"``... (the 0-based line index); ``source`` is ``<text_1 path>:<line>``.
Line endings (``\\n`` or ``\\r\\n``) are removed; with ``strip`` (default)
surrounding white space too.

Options
-------
``text_1_lang``, ``text_2_lang`` (str, ``""``)
    language codes put on every record, e.g. ``"zh"`` and ``"en"``.
``text_1_name``, ``text_2_name`` (str, ``""``)
``strip`` (bool, ``true``)
``skip_blank`` (bool, ``false``)
    skip pairs whose two lines are both blank (they still count for the
    line-count check).

Both files are read line by line together.
"""
