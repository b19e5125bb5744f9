// FolioReports
