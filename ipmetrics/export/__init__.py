"""Charts and tables leave the dashboard ready for print: images through kaleido and the system
Chromium, formatted Excel workbooks, and a monthly batch with a ZIP."""
