// Command kubevirt-crdgen prints KubeVirt's CustomResourceDefinitions exactly
// as virt-operator generates them (pkg/virt-operator/resource/generate/components),
// so that tooling/kube-real can install the real schemas without running KubeVirt.
package main

import (
	"fmt"
	"os"

	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"kubevirt.io/kubevirt/pkg/virt-operator/resource/generate/components"
	"sigs.k8s.io/yaml"
)

func main() {
	gens := []func() (*extv1.CustomResourceDefinition, error){
		components.NewVirtualMachineCrd,
		components.NewVirtualMachineInstanceCrd,
		components.NewVirtualMachineSnapshotCrd,
		components.NewVirtualMachineSnapshotContentCrd,
		components.NewVirtualMachineRestoreCrd,
	}
	for i, gen := range gens {
		crd, err := gen()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		crd.Status = extv1.CustomResourceDefinitionStatus{}
		b, err := yaml.Marshal(crd)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		// Drop the zero-valued fields sigs.k8s.io/yaml cannot omit.
		m := map[string]interface{}{}
		if err := yaml.Unmarshal(b, &m); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		delete(m, "status")
		if md, ok := m["metadata"].(map[string]interface{}); ok {
			delete(md, "creationTimestamp")
		}
		b, err = yaml.Marshal(m)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if i > 0 {
			fmt.Println("---")
		}
		os.Stdout.Write(b)
	}
}
