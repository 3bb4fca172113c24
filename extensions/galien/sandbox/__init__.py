"""bubblewrap around the build of untrusted sources, where the machine has it.

An issue file may come from a guest author's pull request. The allow-lists
of the content keep what it says in check; this is the layer below them, for
whatever slips past: Sphinx (:mod:`galien.cli.build`) and each LuaLaTeX job
(the print edition's Makefile, :mod:`galien.print.incremental`) run under
`bubblewrap <https://github.com/containers/bubblewrap>`_ with

* no network, and a fresh ``/proc`` (no other process's environment or files);
* a private, empty ``/tmp``;
* the project read-only and only the build folder writable;
* nothing else of the machine but what the tools need, read-only: the system's
  programs and libraries (``/usr``), the few files of ``/etc`` they read, the
  Python installation and the folders on its path, TeX's trees, formats and
  font caches. Not the user's home, not the project's parent folder.

TeX's caches (luaotfload's font database, the formats) are read-only inside:
a job cannot leave there Lua that a later run, confined or not, would load.
Where ``bwrap`` is missing or cannot make a sandbox (Read the Docs, a container
that forbids namespaces), :func:`~galien.sandbox.bubblewrap.bwrap` returns
``None`` and the caller says so in one line.

The package imports nothing heavy (no Sphinx): ``python -m galien build`` starts
the sandbox before loading the command line (:mod:`galien.sandbox.build`), and
the print edition's Makefile asks :mod:`galien.sandbox.latex` for the LaTeX
jobs' sandbox once per make.
"""
