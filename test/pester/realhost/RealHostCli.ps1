# Dot-sourced by the real-host suites: the repository's `rdp-health` command (bin/rdp-health.mjs, the
# sources through tsx) against this Windows machine, and the statuses it reports.
$script:CliRepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../../..')).Path

function Invoke-RdpHealthCli {
    <# Runs `rdp-health <args>`; returns { ExitCode, Output } with stdout as one string. #>
    $output = & node (Join-Path $script:CliRepoRoot 'bin/rdp-health.mjs') @args 2>$null
    [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n") }
}

function Get-RdpHealthFinding {
    <# One check of one probe on this machine, as the CLI reports it (--json). #>
    param([Parameter(Mandatory)][string[]]$Probe)
    $arguments = @('check', '--json', '--timeout', '60') + @($Probe | ForEach-Object { '--probe', $_ })
    $run = Invoke-RdpHealthCli @arguments
    ($run.Output | ConvertFrom-Json).findings
}
