# ULP DDP / NVMe-TCP receive offload: workspace, build, VM tests.
# Run 'make help' for the targets.

FLAVOUR ?= debug
BUILD_DIR ?= $(CURDIR)/build
export BUILD_DIR

.PHONY: help deps tree export kernel check demo vm post bench profile clean

help:
	@echo "make deps            install the Debian packages the project needs (root)"
	@echo "make tree [FORCE=1]  build/linux = Linux 6.12.117 + patches/ (git, tag 'base')"
	@echo "make export          write build/linux's base..HEAD back to patches/"
	@echo "make kernel [FLAVOUR=debug|perf]  build build/obj-FLAVOUR/arch/x86/boot/bzImage"
	@echo "make check           checkpatch, bisection build, sparse, kernel-doc, debug"
	@echo "                     kernel, tests in the VM; ends with 'N passed, N failed'"
	@echo "make demo            build, boot, NVMe-TCP over netdevsim, fio read, counters"
	@echo "make vm CMD='...'    boot the FLAVOUR kernel and run CMD in it"
	@echo "make post [V=N]      dry run: postings of <=15 patches in build/post, checked"
	@echo "make bench           offload on vs off, base vs series: bench/results/ (not CI)"
	@echo "make profile         perf profile of a read, offload off vs on: bench/results/"
	@echo "make clean           remove build/ (workspace, objects, ccache)"

deps:
	scripts/deps

# The workspace is made once; 'make tree' again (or FORCE=1) rebuilds it.
tree:
	scripts/tree

build/linux/.git:
	scripts/tree

export:
	scripts/export

kernel: build/linux/.git
	scripts/kernel $(FLAVOUR)

check: build/linux/.git
	FLAVOUR=$(FLAVOUR) scripts/check

demo: build/linux/.git
	scripts/kernel $(FLAVOUR)
	scripts/vm --flavour $(FLAVOUR) --timeout 1200 -- $(CURDIR)/tests/demo.sh

vm:
	scripts/vm --flavour $(FLAVOUR) -- $(CMD)

post: build/linux/.git
	scripts/post --version $(or $(V),2)

bench: build/linux/.git
	bench/run

profile: build/linux/.git
	scripts/kernel perf
	bench/profile

clean:
	rm -rf build
