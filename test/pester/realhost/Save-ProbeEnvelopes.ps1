<#
.SYNOPSIS
Runs every shipped probe against this machine and saves what each printed (<probe>.json) and
what each wrote to the error stream (<probe>.errors.txt) into -OutDir. The real-host suite runs it
in its own shell (elevated) and as a temporary standard user (Invoke-AsStandardUser.ps1).
#>
[CmdletBinding()]
param([Parameter(Mandatory)][string]$OutDir)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot '../contract/EnvelopeContract.ps1')
New-Item -ItemType Directory -Force -Path $OutDir | Out-Null
foreach ($probe in Get-ShippedProbeScript) {
    $run = Invoke-ProbeForContract -Probe $probe -OutDir $OutDir
    $run.Errors | ForEach-Object { "$_" } | Set-Content -LiteralPath (Join-Path $OutDir "$($probe.Probe).errors.txt")
}
