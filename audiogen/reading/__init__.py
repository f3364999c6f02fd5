"""Reading: articles from files, pages and feeds, into Articles of Sections."""
