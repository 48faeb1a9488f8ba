package ocr

// #cgo LDFLAGS: -lgomp
// #include <omp.h>
import "C"

// singleThreaded makes every OpenMP parallel region of the process run on
// its calling thread. Tesseract parallelises its LSTM over OpenMP threads
// that spin while they wait: with one recogniser per core already, those
// threads only fight over the cores (a visual zone takes 5 to 7 times as
// long on a busy two-core machine). It sets a process-wide OpenMP setting
// (max-active-levels 0), the in-process equivalent of OMP_THREAD_LIMIT=1.
func singleThreaded() { C.omp_set_max_active_levels(0) }
