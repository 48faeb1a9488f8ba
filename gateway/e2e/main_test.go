package e2e

import (
	"fmt"
	"os"
	"testing"

	"github.com/getkin/kin-openapi/routers"
	"github.com/openkyc/kyc/pkg/testenv"
)

// Shared by the tests of this package, set once by TestMain.
var (
	bins binaries
	svc  *stack
	// router finds operations in the OpenAPI description.
	router routers.Router
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if _, err := testenv.FindShared(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	dir, err := os.MkdirTemp("", "kyc-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	if bins, err = build(dir); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	accountsFile, err := writeAccounts(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	if svc, err = startStack(bins, "KYC_ACCOUNTS_FILE="+accountsFile); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: start:", err)
		return 1
	}
	defer svc.stop()
	if router, err = newRouter(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	return m.Run()
}
