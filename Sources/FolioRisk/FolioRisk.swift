// FolioRisk
