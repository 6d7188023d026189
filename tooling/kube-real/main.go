// Command kube-real runs a real Kubernetes control plane on loopback for
// Uncloud development and tests: embedded etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler and KWOK (fake nodes whose pods
// become Running with IPs), all built from upstream Go modules by build.sh.
// It installs the real CRDs in ../crds, prints
//
//	kubeconfig: <absolute path>
//
// on stdout once everything is ready, and runs until SIGINT/SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	storagev1 "k8s.io/api/storage/v1"
	apiextv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apiextclient "k8s.io/apiextensions-apiserver/pkg/client/clientset/clientset"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	nodefast "sigs.k8s.io/kwok/kustomize/stage/node/fast"
	nodeheartbeatwithlease "sigs.k8s.io/kwok/kustomize/stage/node/heartbeat-with-lease"
	podfast "sigs.k8s.io/kwok/kustomize/stage/pod/fast"
)

const (
	serviceCIDR = "10.96.0.0/16"
	serviceIP   = "10.96.0.1"
	podCIDR     = "10.244.0.0/16"
	// The annotation KWOK is told to manage nodes by.
	kwokNodeAnnotation = "kwok.x-k8s.io/node"
)

// Static-token users. Tokens are random per state dir; names are stable.
var users = []struct{ name, groups string }{
	{"uncloud-admin", "system:masters"},
	{"system:kube-controller-manager", ""},
	{"system:kube-scheduler", ""},
	{"kwok-controller", "system:masters"},
}

type options struct {
	dir, binDir, crdDir, readyFile string
	nodes                          int
	timeout                        time.Duration
	keep                           bool
}

func main() {
	exe, _ := os.Executable()
	exe, _ = filepath.EvalSymlinks(exe)
	binDir := filepath.Dir(exe)
	pkgDir := filepath.Dir(binDir)                // tooling/kube-real
	repoDir := filepath.Dir(filepath.Dir(pkgDir)) // repo root

	var o options
	flag.StringVar(&o.dir, "dir", filepath.Join(repoDir, "data", "kube-real"), "state directory (certs, etcd data, logs, kubeconfig); wiped at start unless --keep")
	flag.StringVar(&o.binDir, "bin-dir", binDir, "directory holding kube-apiserver, kube-controller-manager, kube-scheduler, kwok")
	flag.StringVar(&o.crdDir, "crds", filepath.Join(pkgDir, "crds"), "directory of CRD YAML files to install")
	flag.StringVar(&o.readyFile, "ready-file", "", "if set, write the kubeconfig path to this file once ready")
	flag.IntVar(&o.nodes, "nodes", 3, "number of KWOK nodes")
	flag.DurationVar(&o.timeout, "timeout", 3*time.Minute, "give up if the control plane is not ready within this time")
	flag.BoolVar(&o.keep, "keep", false, "keep etcd data from a previous run instead of wiping --dir")
	flag.Parse()

	if err := run(o); err != nil {
		logf("error: %v", err)
		os.Exit(1)
	}
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "kube-real: "+format+"\n", args...)
}

func run(o options) error {
	start := time.Now()
	dir, err := filepath.Abs(o.dir)
	if err != nil {
		return err
	}
	// Refuse to wipe a directory kube-real did not create.
	marker := filepath.Join(dir, ".kube-real")
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		if _, err := os.Stat(marker); err != nil {
			return fmt.Errorf("--dir %s is not empty and was not made by kube-real; refusing to use it", dir)
		}
	}
	if !o.keep {
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if err := os.WriteFile(marker, nil, 0o600); err != nil {
		return err
	}
	for _, d := range []string{"pki", "logs", "etcd"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o700); err != nil {
			return err
		}
	}
	for _, b := range []string{"kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"} {
		if _, err := os.Stat(filepath.Join(o.binDir, b)); err != nil {
			return fmt.Errorf("missing binary (run build.sh): %w", err)
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	pki, err := writePKI(filepath.Join(dir, "pki"))
	if err != nil {
		return fmt.Errorf("pki: %w", err)
	}
	tokens, err := writeTokens(filepath.Join(dir, "pki", "tokens.csv"))
	if err != nil {
		return err
	}

	ports, err := freePorts(5)
	if err != nil {
		return err
	}
	etcdClient, etcdPeer, apiPort, kcmPort, schedPort := ports[0], ports[1], ports[2], ports[3], ports[4]

	// etcd, embedded in this process.
	etcd, err := startEtcd(filepath.Join(dir, "etcd"), filepath.Join(dir, "logs", "etcd.log"), etcdClient, etcdPeer)
	if err != nil {
		return fmt.Errorf("etcd: %w", err)
	}
	defer func() {
		etcd.Close()
		logf("etcd stopped")
	}()
	logf("etcd ready on 127.0.0.1:%d (%s)", etcdClient, since(start))

	server := fmt.Sprintf("https://127.0.0.1:%d", apiPort)
	kubeconfigs := map[string]string{}
	for _, u := range users {
		p := filepath.Join(dir, "pki", strings.ReplaceAll(strings.TrimPrefix(u.name, "system:"), ":", "-")+".kubeconfig")
		if u.name == "uncloud-admin" {
			p = filepath.Join(dir, "kubeconfig.tmp") // renamed into place once ready
		}
		if err := writeKubeconfig(p, server, pki.caPEM, u.name, tokens[u.name]); err != nil {
			return err
		}
		kubeconfigs[u.name] = p
	}

	sup := &supervisor{logDir: filepath.Join(dir, "logs"), died: make(chan error, 8)}
	defer sup.stopAll()

	pkiDir := filepath.Join(dir, "pki")
	if err := sup.start("kube-apiserver", filepath.Join(o.binDir, "kube-apiserver"),
		"--etcd-servers="+fmt.Sprintf("http://127.0.0.1:%d", etcdClient),
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		fmt.Sprintf("--secure-port=%d", apiPort),
		"--tls-cert-file="+filepath.Join(pkiDir, "apiserver.crt"),
		"--tls-private-key-file="+filepath.Join(pkiDir, "apiserver.key"),
		"--client-ca-file="+filepath.Join(pkiDir, "ca.crt"),
		"--token-auth-file="+filepath.Join(pkiDir, "tokens.csv"),
		"--authorization-mode=Node,RBAC",
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file="+filepath.Join(pkiDir, "sa.pub"),
		"--service-account-signing-key-file="+filepath.Join(pkiDir, "sa.key"),
		"--service-cluster-ip-range="+serviceCIDR,
		// The "kubernetes" Service cannot point at a loopback address.
		"--endpoint-reconciler-type=none",
		"--requestheader-client-ca-file="+filepath.Join(pkiDir, "ca.crt"),
		"--requestheader-allowed-names=front-proxy-client",
		"--requestheader-username-headers=X-Remote-User",
		"--requestheader-group-headers=X-Remote-Group",
		"--requestheader-extra-headers-prefix=X-Remote-Extra-",
		"--proxy-client-cert-file="+filepath.Join(pkiDir, "front-proxy-client.crt"),
		"--proxy-client-key-file="+filepath.Join(pkiDir, "front-proxy-client.key"),
		"--allow-privileged=true",
		"--profiling=false",
		"--cert-dir="+filepath.Join(dir, "apiserver-certs"),
	); err != nil {
		return err
	}

	admin, err := clientcmd.BuildConfigFromFlags("", kubeconfigs["uncloud-admin"])
	if err != nil {
		return err
	}
	admin.QPS, admin.Burst = 200, 400
	admin.WarningHandler = rest.NoWarnings{} // CRD schemas warn about unknown formats
	cs := kubernetes.NewForConfigOrDie(admin)
	readyCtx, cancelReady := context.WithTimeout(ctx, o.timeout)
	defer cancelReady()

	if err := sup.waitFor(readyCtx, "kube-apiserver /readyz", func(ctx context.Context) (bool, error) {
		body, err := cs.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
		return err == nil && string(body) == "ok", nil
	}); err != nil {
		return err
	}
	logf("kube-apiserver ready at %s (%s)", server, since(start))

	if err := sup.start("kube-controller-manager", filepath.Join(o.binDir, "kube-controller-manager"),
		"--kubeconfig="+kubeconfigs["system:kube-controller-manager"],
		"--authentication-kubeconfig="+kubeconfigs["system:kube-controller-manager"],
		"--authorization-kubeconfig="+kubeconfigs["system:kube-controller-manager"],
		"--bind-address=127.0.0.1",
		fmt.Sprintf("--secure-port=%d", kcmPort),
		"--cert-dir="+filepath.Join(dir, "kcm-certs"),
		"--controllers=*",
		"--leader-elect=false",
		"--use-service-account-credentials=true",
		"--service-account-private-key-file="+filepath.Join(pkiDir, "sa.key"),
		"--root-ca-file="+filepath.Join(pkiDir, "ca.crt"),
		"--cluster-signing-cert-file="+filepath.Join(pkiDir, "ca.crt"),
		"--cluster-signing-key-file="+filepath.Join(pkiDir, "ca.key"),
		"--service-cluster-ip-range="+serviceCIDR,
		"--allocate-node-cidrs=false",
		"--profiling=false",
	); err != nil {
		return err
	}
	if err := sup.start("kube-scheduler", filepath.Join(o.binDir, "kube-scheduler"),
		"--kubeconfig="+kubeconfigs["system:kube-scheduler"],
		"--authentication-kubeconfig="+kubeconfigs["system:kube-scheduler"],
		"--authorization-kubeconfig="+kubeconfigs["system:kube-scheduler"],
		"--bind-address=127.0.0.1",
		fmt.Sprintf("--secure-port=%d", schedPort),
		"--cert-dir="+filepath.Join(dir, "scheduler-certs"),
		"--leader-elect=false",
		"--profiling=false",
	); err != nil {
		return err
	}

	kwokConfig := filepath.Join(dir, "kwok.yaml")
	stages := []string{nodefast.DefaultNodeInit, nodeheartbeatwithlease.DefaultNodeHeartbeatWithLease,
		podfast.DefaultPodReady, podfast.DefaultPodComplete, podfast.DefaultPodDelete}
	if err := os.WriteFile(kwokConfig, []byte(strings.Join(stages, "\n---\n")), 0o600); err != nil {
		return err
	}
	if err := sup.start("kwok", filepath.Join(o.binDir, "kwok"),
		"--kubeconfig="+kubeconfigs["kwok-controller"],
		"--config="+kwokConfig,
		"--manage-nodes-with-annotation-selector="+kwokNodeAnnotation+"=fake",
		"--node-lease-duration-seconds=40",
		"--cidr="+podCIDR,
		"--node-ip=127.0.0.1",
	); err != nil {
		return err
	}

	// Cluster content: CRDs, nodes, defaults.
	if err := installCRDs(readyCtx, admin, o.crdDir); err != nil {
		return err
	}
	logf("CRDs established (%s)", since(start))
	if err := createNodes(readyCtx, cs, o.nodes); err != nil {
		return err
	}
	if err := createDefaults(readyCtx, cs); err != nil {
		return err
	}
	if err := sup.waitFor(readyCtx, fmt.Sprintf("%d Ready nodes", o.nodes), func(ctx context.Context) (bool, error) {
		nodes, err := cs.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
		if err != nil {
			return false, nil
		}
		ready := 0
		for _, n := range nodes.Items {
			for _, c := range n.Status.Conditions {
				if c.Type == corev1.NodeReady && c.Status == corev1.ConditionTrue {
					ready++
				}
			}
		}
		return ready >= o.nodes, nil
	}); err != nil {
		return err
	}
	// Pods are refused until the ServiceAccount controller made "default".
	if err := sup.waitFor(readyCtx, "default ServiceAccount", func(ctx context.Context) (bool, error) {
		_, err := cs.CoreV1().ServiceAccounts("default").Get(ctx, "default", metav1.GetOptions{})
		return err == nil, nil
	}); err != nil {
		return err
	}

	kubeconfig := filepath.Join(dir, "kubeconfig")
	if err := os.Rename(kubeconfigs["uncloud-admin"], kubeconfig); err != nil {
		return err
	}
	logf("ready in %s; logs in %s", since(start), filepath.Join(dir, "logs"))
	fmt.Printf("kubeconfig: %s\n", kubeconfig)
	if o.readyFile != "" {
		if err := os.WriteFile(o.readyFile, []byte(kubeconfig+"\n"), 0o644); err != nil {
			return err
		}
		defer os.Remove(o.readyFile)
	}

	select {
	case <-ctx.Done():
		logf("signal received, stopping")
		return nil
	case err := <-sup.died:
		return err
	case err := <-etcd.Err():
		return fmt.Errorf("etcd: %w", err)
	}
}

func since(t time.Time) string { return time.Since(t).Round(100 * time.Millisecond).String() }

func freePorts(n int) ([]int, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	var ports []int
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

func startEtcd(dataDir, logFile string, clientPort, peerPort int) (*embed.Etcd, error) {
	cfg := embed.NewConfig()
	cfg.Name = "kube-real"
	cfg.Dir = dataDir
	cu, _ := url.Parse(fmt.Sprintf("http://127.0.0.1:%d", clientPort))
	pu, _ := url.Parse(fmt.Sprintf("http://127.0.0.1:%d", peerPort))
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{*cu}, []url.URL{*cu}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{*pu}, []url.URL{*pu}
	cfg.ListenMetricsUrls = nil
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.UnsafeNoFsync = true // throwaway dev/test data
	cfg.LogOutputs = []string{logFile}
	cfg.LogLevel = "warn"
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, err
	}
	select {
	case <-e.Server.ReadyNotify():
		return e, nil
	case <-time.After(60 * time.Second):
		e.Close()
		return nil, errors.New("etcd not ready after 60s")
	}
}

// supervisor runs the control-plane binaries as child processes.
type proc struct {
	name string
	cmd  *exec.Cmd
	done chan struct{}
}

type supervisor struct {
	logDir   string
	mu       sync.Mutex
	procs    []*proc
	stopping bool
	died     chan error
}

func (s *supervisor) start(name, bin string, args ...string) error {
	logFile, err := os.OpenFile(filepath.Join(s.logDir, name+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return fmt.Errorf("start %s: %w", name, err)
	}
	p := &proc{name: name, cmd: cmd, done: make(chan struct{})}
	s.mu.Lock()
	s.procs = append(s.procs, p)
	s.mu.Unlock()
	logf("started %s (pid %d, log %s)", name, cmd.Process.Pid, logFile.Name())
	go func() {
		err := cmd.Wait()
		logFile.Close()
		close(p.done)
		s.mu.Lock()
		stopping := s.stopping
		s.mu.Unlock()
		if !stopping {
			s.died <- fmt.Errorf("%s exited unexpectedly (%v); see %s", name, err, logFile.Name())
		}
	}()
	return nil
}

// waitFor polls cond until it holds, the context ends or a child dies.
func (s *supervisor) waitFor(ctx context.Context, what string, cond func(context.Context) (bool, error)) error {
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		ok, err := cond(ctx)
		if err != nil {
			return fmt.Errorf("waiting for %s: %w", what, err)
		}
		if ok {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s: %w", what, ctx.Err())
		case err := <-s.died:
			return err
		case <-t.C:
		}
	}
}

// stopAll stops children in reverse start order: SIGTERM, then SIGKILL after 10s.
func (s *supervisor) stopAll() {
	s.mu.Lock()
	s.stopping = true
	procs := s.procs
	s.mu.Unlock()
	for i := len(procs) - 1; i >= 0; i-- {
		p := procs[i]
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(10 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.done
		}
		logf("stopped %s", p.name)
	}
}

func installCRDs(ctx context.Context, cfg *rest.Config, dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return err
	}
	sort.Strings(files)
	client, err := apiextclient.NewForConfig(cfg)
	if err != nil {
		return err
	}
	var names []string
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return err
		}
		dec := utilyaml.NewYAMLOrJSONDecoder(fh, 1<<20)
		for {
			var crd apiextv1.CustomResourceDefinition
			if err := dec.Decode(&crd); err != nil {
				if errors.Is(err, io.EOF) {
					break
				}
				fh.Close()
				return fmt.Errorf("%s: %w", f, err)
			}
			if crd.Name == "" {
				continue
			}
			_, err := client.ApiextensionsV1().CustomResourceDefinitions().Create(ctx, &crd, metav1.CreateOptions{})
			if apierrors.IsAlreadyExists(err) {
				cur, gerr := client.ApiextensionsV1().CustomResourceDefinitions().Get(ctx, crd.Name, metav1.GetOptions{})
				if gerr != nil {
					return gerr
				}
				crd.ResourceVersion = cur.ResourceVersion
				_, err = client.ApiextensionsV1().CustomResourceDefinitions().Update(ctx, &crd, metav1.UpdateOptions{})
			}
			if err != nil {
				fh.Close()
				return fmt.Errorf("CRD %s from %s: %w", crd.Name, f, err)
			}
			names = append(names, crd.Name)
		}
		fh.Close()
	}
	for _, name := range names {
		for {
			crd, err := client.ApiextensionsV1().CustomResourceDefinitions().Get(ctx, name, metav1.GetOptions{})
			if err != nil {
				return err
			}
			established := false
			for _, c := range crd.Status.Conditions {
				if c.Type == apiextv1.Established && c.Status == apiextv1.ConditionTrue {
					established = true
				}
			}
			if established {
				break
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("CRD %s not established: %w", name, ctx.Err())
			case <-time.After(200 * time.Millisecond):
			}
		}
	}
	logf("installed %d CRDs from %s", len(names), dir)
	return nil
}

func createNodes(ctx context.Context, cs kubernetes.Interface, n int) error {
	res := corev1.ResourceList{
		corev1.ResourceCPU:              resource.MustParse("8"),
		corev1.ResourceMemory:           resource.MustParse("32Gi"),
		corev1.ResourcePods:             resource.MustParse("110"),
		corev1.ResourceEphemeralStorage: resource.MustParse("100Gi"),
	}
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("kwok-node-%d", i)
		node := &corev1.Node{
			ObjectMeta: metav1.ObjectMeta{
				Name: name,
				Annotations: map[string]string{
					kwokNodeAnnotation:             "fake",
					"node.alpha.kubernetes.io/ttl": "0",
				},
				Labels: map[string]string{
					"kubernetes.io/arch":            "amd64",
					"kubernetes.io/os":              "linux",
					"kubernetes.io/hostname":        name,
					"kubernetes.io/role":            "agent",
					"node-role.kubernetes.io/agent": "",
					"type":                          "kwok",
				},
			},
			Status: corev1.NodeStatus{
				Capacity:    res,
				Allocatable: res,
				NodeInfo: corev1.NodeSystemInfo{
					Architecture:    "amd64",
					OperatingSystem: "linux",
					KubeletVersion:  "fake",
				},
			},
		}
		if _, err := cs.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("node %s: %w", name, err)
		}
	}
	return nil
}

// createDefaults adds a default StorageClass and IngressClass so manifests
// that rely on cluster defaults are accepted. Nothing provisions volumes or
// serves ingress: PVCs stay Pending.
func createDefaults(ctx context.Context, cs kubernetes.Interface) error {
	isDefault := map[string]string{"storageclass.kubernetes.io/is-default-class": "true"}
	immediate := storagev1.VolumeBindingImmediate
	_, err := cs.StorageV1().StorageClasses().Create(ctx, &storagev1.StorageClass{
		ObjectMeta:        metav1.ObjectMeta{Name: "standard", Annotations: isDefault},
		Provisioner:       "kube-real.uncloud.dev/none",
		VolumeBindingMode: &immediate,
	}, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("storageclass: %w", err)
	}
	_, err = cs.NetworkingV1().IngressClasses().Create(ctx, &networkingv1.IngressClass{
		ObjectMeta: metav1.ObjectMeta{Name: "nginx", Annotations: map[string]string{networkingv1.AnnotationIsDefaultIngressClass: "true"}},
		Spec:       networkingv1.IngressClassSpec{Controller: "k8s.io/ingress-nginx"},
	}, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("ingressclass: %w", err)
	}
	return nil
}
