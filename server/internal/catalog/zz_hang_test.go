package catalog_test

import (
	"fmt"
	"math/rand"
	"os"
	"testing"
	"time"

	"github.com/claudemock/claudemock/server/internal/catalog"
)

func TestHangHunt(t *testing.T) {
	real, _ := os.ReadFile("../../../tiers.yaml")
	r := rand.New(rand.NewSource(1))
	deadline := time.Now().Add(60 * time.Second)
	for n := 0; time.Now().Before(deadline); n++ {
		b := append([]byte(nil), real...)
		for k := r.Intn(8) + 1; k > 0; k-- {
			switch r.Intn(5) {
			case 0:
				if len(b) > 0 {
					b[r.Intn(len(b))] = byte(r.Intn(256))
				}
			case 1:
				if len(b) > 0 {
					i := r.Intn(len(b))
					b = append(b[:i], b[i+1:]...)
				}
			case 2:
				i := r.Intn(len(b) + 1)
				b = append(b[:i], append([]byte{"[{&*:-!|>'\"\n #?"[r.Intn(16)]}, b[i:]...)...)
			case 3:
				if len(b) > 2 {
					i, j := r.Intn(len(b)), r.Intn(len(b))
					if i > j {
						i, j = j, i
					}
					k := r.Intn(len(b) + 1)
					chunk := append([]byte(nil), b[i:j]...)
					b = append(b[:k], append(chunk, b[k:]...)...)
				}
			case 4:
				if len(b) > 2 {
					i := r.Intn(len(b))
					j := i + r.Intn(len(b)-i)
					b = append(b[:i], b[j:]...)
				}
			}
		}
		start := time.Now()
		done := make(chan struct{})
		go func() { catalog.Load("x", b); close(done) }()
		select {
		case <-done:
			if d := time.Since(start); d > 200*time.Millisecond {
				fmt.Printf("slow %v len %d\n", d, len(b))
				os.WriteFile(fmt.Sprintf("/tmp/slow-%d.yaml", n), b, 0o644)
			}
		case <-time.After(3 * time.Second):
			os.WriteFile("/tmp/hang.yaml", b, 0o644)
			t.Fatalf("hang after %d iterations, len %d", n, len(b))
		}
	}
}
