# Follows: Microsoft Learn Environment.GetFolderPath(CommonApplicationData) and the default C:\ProgramData layout of a real Windows host.
# The simulated host's ProgramData folder: the Windows folder the scenario's env.ProgramData names
# (C:\ProgramData on every shipped scenario, as on Windows) is a real folder `ProgramData` next to the
# working copy, so what the host checker publishes there is real files another process reads. Who
# owns them and who may write them is the scenario's `files` section (the Get-Acl shadow), the same
# way as for MachineKeys; links are real (a symbolic link is a reparse point on .NET everywhere).
# Get-Item (Certificates.ps1) answers such paths with the real item of the mapped file.

function ConvertTo-SimProgramDataPath {
    <# The real path behind a Windows path under the simulated ProgramData; $null for any other path. #>
    param([string]$Path)
    # Windows paths only: the working copy itself is read with Get-Item (no loop through the state).
    if (-not (Test-SimHostActive) -or -not (Test-SimFilePath $Path)) { return $null }
    $windows = $Path -replace '^Microsoft\.PowerShell\.Core\\FileSystem::', '' -replace '/', '\'
    $root = ([string](Get-SimSection -Key 'env')['ProgramData']).TrimEnd('\')
    if (-not $root) { return $null }
    if ($windows -ne $root -and -not $windows.StartsWith("$root\", [System.StringComparison]::OrdinalIgnoreCase)) { return $null }
    $relative = $windows.Substring($root.Length).TrimStart('\')
    $base = Join-Path (Split-Path -Parent $env:RDP_HEALTH_SIM_STATE) 'ProgramData'
    if (-not $relative) { return $base }
    Join-Path $base ($relative -replace '\\', [System.IO.Path]::DirectorySeparatorChar)
}
