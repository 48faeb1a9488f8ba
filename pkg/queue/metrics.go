package queue

import (
	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
)

// DepthCollector reports the number of tasks of the image queue by state,
// read from Redis at scrape time, as the gauge kyc_queue_tasks{state}.
type DepthCollector struct {
	insp *asynq.Inspector
	desc *prometheus.Desc
}

// NewDepthCollector returns a collector reading through insp.
func NewDepthCollector(insp *asynq.Inspector) *DepthCollector {
	return &DepthCollector{insp: insp, desc: prometheus.NewDesc(
		"kyc_queue_tasks", "Tasks in the image queue by state.", []string{"state"}, nil)}
}

// Describe implements prometheus.Collector.
func (q *DepthCollector) Describe(ch chan<- *prometheus.Desc) { ch <- q.desc }

// Collect implements prometheus.Collector.
func (q *DepthCollector) Collect(ch chan<- prometheus.Metric) {
	info, err := q.insp.GetQueueInfo(Name)
	if err != nil {
		// A queue that never had a task does not exist yet: depth zero.
		info = &asynq.QueueInfo{}
	}
	for state, n := range map[string]int{"pending": info.Pending, "active": info.Active,
		"scheduled": info.Scheduled, "retry": info.Retry, "archived": info.Archived} {
		ch <- prometheus.MustNewConstMetric(q.desc, prometheus.GaugeValue, float64(n), state)
	}
}
