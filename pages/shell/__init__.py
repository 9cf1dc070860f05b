"""The shared page shell, split by job; every page file in pages/ starts with sidebar.start_page().

    context    the pages' addresses and the sidebar's choices (Context)
    cache      cached reads: the store, the registry, region data, themed views, comparisons
    widgets    what pages draw alike: tables with downloads, chart and table tabs, image export, ledgers,
               status badges, the snapshot picker, messages left for the next run
    uploads    an uploaded file checked once per session
    login      editors: the secrets file, single sign-on, the password form, require_editor
    url_state  the month and region in the address bar, back and forward, carried over between pages
    sidebar    the sidebar itself and start_page
    internals  the only module that touches Streamlit internals

This folder is a package, not a page: Streamlit's older pages/-folder mode lists only pages/*.py.
"""
