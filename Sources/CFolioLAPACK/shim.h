// Folio's view of BLAS and LAPACK, as OpenBLAS provides them on Debian.
//
// `cblas.h` comes from libopenblas-dev (it also declares openblas_set_num_threads and
// openblas_get_corename); `lapack.h` comes from liblapacke-dev and declares the raw Fortran
// routines with their trailing hidden string-length arguments (LAPACK_FORTRAN_STRLEN_END),
// which Swift then requires. Only FolioLinearAlgebra imports this module.
#ifndef CFOLIOLAPACK_SHIM_H
#define CFOLIOLAPACK_SHIM_H

#include <cblas.h>
#include <lapack.h>

#endif
