// FolioOptimization
