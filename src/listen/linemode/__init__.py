"""Line mode (`listen read --plain`): the reader as numbered lines and typed commands.

For screen readers that cope badly with full-screen programs (think edbrowse or lynx): every
answer is whole lines printed in order, nothing is redrawn, and the prompt is the only thing
that waits. It shares the reading order (listen.articles.reading) and the saved positions and bookmarks
(listen.state) with the full-screen reader, and never imports Textual.
"""
