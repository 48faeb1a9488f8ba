package e2e

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"testing"
	"text/tabwriter"
	"time"
)

// BenchmarkSyncRoundTrip measures the service's own overhead: a sync
// request with one small image goes through the gateway, MinIO, the queue
// and a worker running no recognition stage (decode and general checks
// only), and back. It sends max(b.N, 200) requests one after another and
// prints the latency distribution as a table.
func BenchmarkSyncRoundTrip(b *testing.B) {
	s, err := startStack(bins, "KYC_STAGES=none")
	if err != nil {
		b.Fatal(err)
	}
	defer s.stop()
	body, ctype := multipartBody(b, processReq{
		fields: map[string]string{"mode": "sync"},
		files:  []file{{name: "small.jpg", data: syntheticJPEG(b, 400, 300)}},
	})
	send := func() time.Duration {
		req, _ := http.NewRequest(http.MethodPost, s.base+"/v1/kyc/process", bytes.NewReader(body.Bytes()))
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("Authorization", "Bearer "+tokenA)
		start := time.Now()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		out, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		d := time.Since(start)
		// With no stage to classify it, the image ends success as unknown;
		// a final status proves the round trip is complete.
		if resp.StatusCode != http.StatusOK || !bytes.Contains(out, []byte(`"status":"success","type":"unknown"`)) {
			b.Fatalf("answer %d %s", resp.StatusCode, out)
		}
		return d
	}
	for range 10 { // warm connections and caches
		send()
	}
	n := max(b.N, 200)
	lat := make([]time.Duration, 0, n)
	b.ResetTimer()
	for range n {
		lat = append(lat, send())
	}
	b.StopTimer()
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(pct(0.5)), "p50-ms")
	b.ReportMetric(ms(pct(0.99)), "p99-ms")
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\nsync round trip, one 400x300 JPEG, no recognition stages\t")
	fmt.Fprintln(tw, "requests\tmedian ms\tp90 ms\tp99 ms\tmax ms\t")
	fmt.Fprintf(tw, "%d\t%.1f\t%.1f\t%.1f\t%.1f\t\n", len(lat), ms(pct(0.5)), ms(pct(0.9)), ms(pct(0.99)), ms(lat[len(lat)-1]))
	tw.Flush()
}
