# Sourced by bench/startup.sh and bench/run.sh: the time from launching the wizard in a new window of an already
# running 80x24 tmux server until the pane shows "Cluster name" (polled every 10 ms); "failed" after 20 s.
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

first_frame_once() {
  local socket=kubeha-frame-$$ state t0 screen="" deadline
  state=$(mktemp -d)
  tmux -L "$socket" new-session -d -x 80 -y 24 -s idle 'sleep 600' || { rm -rf "$state"; echo failed; return; }
  t0=$(now_ms)
  tmux -L "$socket" new-window -d -t idle: -n k "$* --no-probe --state-dir $state 2>$state/err"
  deadline=$((t0 + 20000))
  while ! grep -q 'Cluster name' <<<"$screen"; do
    (( $(now_ms) < deadline )) || { tmux -L "$socket" kill-server; rm -rf "$state"; echo failed; return; }
    sleep 0.01
    screen=$(tmux -L "$socket" capture-pane -p -t idle:k 2>/dev/null || true)
  done
  echo $(( $(now_ms) - t0 ))
  tmux -L "$socket" kill-server 2>/dev/null || true
  # The wizard may still be writing its autosave (its hang-up hook) into the state directory for a moment.
  rm -rf "$state" 2>/dev/null || { sleep 0.5; rm -rf "$state"; }
}
