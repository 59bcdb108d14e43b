# Reads a Nuke script as Nuke does: a node's body is lines of "knob value" whose value is one TCL word (one level of
# quoting, parsed here by TCL itself), and Nuke evaluates labels, file paths and string knobs like subst ([cmd],
# $var, backslashes). Prints one line per knob: node number, class, knob, evaluated value as hex UTF-8.
# root.name is the script's own path, as when Nuke opens it.
set script [lindex $argv 0]
set ::rootname [file normalize $script]
set ::node 0
proc value {knob} {
    if {$knob eq "root.name"} { return $::rootname }
    error "unknown knob $knob"
}
proc version {args} {}
proc node {class body} {
    incr ::node
    foreach line [split $body "\n"] {
        if {[string trim $line] eq ""} continue
        set words [eval list $line]
        set knob [lindex $words 0]
        if {$knob eq "addUserKnob"} continue
        set evaluated [subst [lindex $words 1]]
        puts "$::node $class $knob [binary encode hex [encoding convertto utf-8 $evaluated]]"
    }
}
proc Root {body} { node Root $body }
proc Read {body} { node Read $body }
source -encoding utf-8 $script
