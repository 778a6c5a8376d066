"""BRAT / BioNLP shared-task standoff reader (``brat``).

Files
-----
Role ``data``: the text files (``*.txt``) of the split, given by folder or glob
in the manifest, e.g. ``["train/*.txt"]`` or ``["standoff/*.txt"]``.  Next to
each text file, every annotation file named ``<stem><suffix>`` for the
``suffixes`` option (default ``.a1``, ``.a2``, ``.ann``, ``.rel``) that exists
is read, in that order.

Optional role ``list``: one or more files listing the documents of the split,
one name per line (AnEM's ``development/train-files.list``); a name may be a
stem (``PMID-10080451``), a file name or a relative path -- its stem is used.
Only the listed documents are read, in the order of the list; a listed name
with no text file is an error.

Records
-------
One :class:`~medinst_core.records.KBRecord` per document, in path order (or
list order); ``id`` and ``document_id`` are the file stem (an error if two
text files share a stem).  The whole text file is one passage ``P0`` of type
``passage_type`` (default ``abstract``), read exactly (no newline
translation), so offsets are character offsets into the file.

Line types
----------
``T``  ``T1<TAB>Type s e[;s e...]<TAB>text`` -- an entity (fragments in the
       order written; the text of a discontinuous mention is its fragments
       joined by a space).  A T that is the trigger of an event is *not* an
       entity: it becomes the event's ``trigger_text``/``trigger_offsets``.
``E``  ``E1<TAB>Type:T3 Theme:T1 Cause:E2`` -- an event; an event may have no
       argument (``E1<TAB>Process:T3 `` with trailing white space).  Numbered
       roles are normalised by ``role_digits`` (``Theme2`` -> ``Theme``)
       and then ``role_map``.
``R``  ``R1<TAB>Type Arg1:T1 Arg2:T2`` (trailing tab or space accepted) -- a
       relation; role names other than ``Arg1``/``Arg2`` are kept as attributes
       ``arg1_role``/``arg2_role``.
``*``  ``*<TAB>Equiv T1 T2 ...`` -- a coreference chain (ids ``*1``, ``*2``...).
``A``/``M``  ``A1<TAB>Name REF [VALUE]`` -- an attribute ``(Name, VALUE)``, or
       ``(Name, "true")`` when binary, on the referenced entity, event or
       relation.
``N``  ``N1<TAB>Reference T1 DB:ID<TAB>text`` -- a normalization
       ``(DB, ID)`` of the referenced entity.
``#``  notes: ignored, or with ``notes: "attribute"`` a ``("note", text)``
       attribute of the referenced annotation.

Ids repeated across annotation files (a ``.a2`` restating a ``.a1`` T line)
resolve to one annotation; a repeated id with a *different* definition is an
error.

Options
-------
``suffixes`` (list of str, ``[".a1", ".a2", ".ann", ".rel"]``)
``text_suffix`` (str, ``".txt"``)
``passage_type`` (str, ``"abstract"``)
``role_digits`` (``"strip"`` | ``"keep"``, ``"strip"``)
``role_map`` (object: role -> role)
``notes`` (``"ignore"`` | ``"attribute"``, ``"ignore"``)
``require_annotations`` (bool, ``false``)
    a text file without any annotation file is an error (otherwise it gives a
    record with no annotations).
``offset_check`` (``"error"`` | ``"warn"``, ``"error"``)
    every T text must equal the text file at its offsets.

Memory use is one document.
"""
