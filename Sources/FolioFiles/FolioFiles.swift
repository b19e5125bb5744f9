// FolioFiles
