package pipeline

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the worker's Prometheus series.
type Metrics struct {
	stage    *prometheus.HistogramVec
	tasks    *prometheus.CounterVec
	failures *prometheus.CounterVec
}

// NewMetrics registers the worker's series in reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		stage: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "kyc_worker_stage_duration_seconds",
			Help:    "Time spent in each processing stage of an image.",
			Buckets: []float64{.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"stage"}),
		tasks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kyc_worker_tasks_total",
			Help: "Image tasks by outcome: done, retry, exception, dropped.",
		}, []string{"outcome"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kyc_worker_failures_total",
			Help: "Errors reported in image results, by error string.",
		}, []string{"kind"}),
	}
	reg.MustRegister(m.stage, m.tasks, m.failures)
	return m
}
