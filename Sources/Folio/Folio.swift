// Folio: the umbrella module. `import Folio` brings every layer; the few types that join
// optimization to rebalancing live beside this file.
@_exported import FolioLinearAlgebra
@_exported import FolioRisk
@_exported import FolioOptimization
@_exported import FolioRebalancing
@_exported import FolioFiles
@_exported import FolioReports
@_exported import FolioTaxAware
@_exported import FolioPlanning
