package viewcmd

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/iostreams"
)

func factory() *cmdutil.Factory {
	io, _, _, _ := iostreams.Test()
	return &cmdutil.Factory{IO: io, Getenv: func(string) string { return "" }}
}

func TestFundingFlags(t *testing.T) {
	cases := []struct {
		args    []string
		wantErr string
		check   func(*FundingOptions) bool
	}{
		{[]string{"btcusdt", "--history", "--limit", "5"}, "", func(o *FundingOptions) bool { return o.Symbol == "BTCUSDT" && o.History && o.Limit == 5 }},
		{[]string{"--accuracy"}, "", func(o *FundingOptions) bool { return o.Accuracy && o.Symbol == "" }},
		{[]string{"--history"}, "--history needs a SYMBOL", nil},
		{[]string{"BTCUSDT", "--limit", "1001"}, "--limit 1001", nil},
		{[]string{"BTC/USDT"}, "SYMBOL", nil},
	}
	for _, c := range cases {
		var got *FundingOptions
		cmd := NewCmdFunding(factory(), func(_ context.Context, o *FundingOptions) error { got = o; return nil })
		cmd.SetArgs(c.args)
		cmd.SetOut(io.Discard)
		cmd.SetErr(io.Discard)
		err := cmd.Execute()
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%v: err %v, want %q", c.args, err, c.wantErr)
			}
			continue
		}
		if err != nil || !c.check(got) {
			t.Errorf("%v: %v, %+v", c.args, err, got)
		}
	}
}

func TestServeShutsDownGracefully(t *testing.T) {
	io, _, out, _ := iostreams.Test()
	ready := make(chan string, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, &ServeOptions{IO: io, Addr: "127.0.0.1:0", DataDir: t.TempDir(), Reports: t.TempDir(), Ready: ready})
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + addr + "/api/v1/funding-rates")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io2ReadAll(resp)
	if resp.StatusCode != 200 || string(b) != `{"rates":[]}`+"\n" {
		t.Errorf("%d %s", resp.StatusCode, b)
	}
	cancel() // as SIGINT/SIGTERM does through the command's context
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the server did not stop")
	}
	if !strings.Contains(out.String(), "Stopped.") {
		t.Errorf("output: %s", out)
	}
}

func io2ReadAll(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}
