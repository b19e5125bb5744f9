// FolioRebalancing
