package server

import (
	"log/slog"
	"strconv"
	"time"

	"github.com/hibiken/asynq"
	"github.com/labstack/echo/v4"
	"github.com/openkyc/kyc/pkg/queue"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the gateway's Prometheus series, in a registry of its own.
type metrics struct {
	reg         *prometheus.Registry
	latency     *prometheus.HistogramVec
	failures    *prometheus.CounterVec
	uploadBytes prometheus.Counter
}

func newMetrics(insp *asynq.Inspector) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "kyc_gateway_request_duration_seconds",
			Help:    "Latency of HTTP requests by route, method and status code.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
		}, []string{"route", "method", "code"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kyc_gateway_failures_total",
			Help: "Requests answered with an error, by error message.",
		}, []string{"kind"}),
		uploadBytes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "kyc_gateway_upload_bytes_total",
			Help: "Bytes of images stored from uploads.",
		}),
	}
	m.reg.MustRegister(m.latency, m.failures, m.uploadBytes,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if insp != nil {
		m.reg.MustRegister(queue.NewDepthCollector(insp))
	}
	return m
}

func (m *metrics) handler() echo.HandlerFunc {
	return echo.WrapHandler(promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
}

// observe logs every request and records its latency.
func (s *Server) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		code := c.Response().Status
		elapsed := time.Since(start)
		s.metrics.latency.WithLabelValues(route, c.Request().Method, strconv.Itoa(code)).Observe(elapsed.Seconds())
		level := slog.LevelInfo
		if route == "/metrics" || route == "/healthz" || route == "/readyz" {
			level = slog.LevelDebug
		}
		s.log.Log(c.Request().Context(), level, "request",
			"request_id", requestID(c), "method", c.Request().Method, "route", route,
			"code", code, "ms", elapsed.Milliseconds())
		return nil
	}
}
