# Dot-sourced FIRST by every script that runs elevated or as SYSTEM (fix scripts, Undo-RdpFix.ps1,
# the launcher, the host checker's registration), before any Import-Module or cmdlet call:
#   . "$PSScriptRoot\..\common\Use-RdpSystemModulePath.ps1"
# Such a process inherits the user's environment, and PSModulePath searches the user's
# Documents\WindowsPowerShell\Modules first: a module planted there (NetSecurity, PKI, even
# Microsoft.PowerShell.Utility) would be auto-loaded into it. From here on only the system module
# folders are searched. Language and .NET only (no cmdlet: any cmdlet could be the planted one);
# the folders come from the OS, not from %SystemRoot% / %ProgramFiles%, which a user can override.
# Off Windows (the simulated host, the tests) nothing changes.
# Windows PowerShell 5.1 syntax only.

$rdpOnWindows = ($PSVersionTable.PSEdition -ne 'Core')
if (-not $rdpOnWindows) { $rdpOnWindows = [System.Runtime.InteropServices.RuntimeInformation]::IsOSPlatform([System.Runtime.InteropServices.OSPlatform]::Windows) }
if ($rdpOnWindows) {
    $rdpModuleFolders = [System.Collections.Generic.List[string]]::new()
    $rdpModuleFolders.Add([System.IO.Path]::Combine($PSHOME, 'Modules'))
    $rdpProgramFiles = [Environment]::GetFolderPath([Environment+SpecialFolder]::ProgramFiles)
    if ($rdpProgramFiles) { $rdpModuleFolders.Add($rdpProgramFiles + '\WindowsPowerShell\Modules') }
    $rdpSystemFolder = [Environment]::SystemDirectory
    if ($rdpSystemFolder) {
        $rdpShellModules = $rdpSystemFolder + '\WindowsPowerShell\v1.0\Modules'
        if (-not $rdpModuleFolders.Contains($rdpShellModules)) { $rdpModuleFolders.Add($rdpShellModules) }
    }
    $env:PSModulePath = [string]::Join(';', $rdpModuleFolders.ToArray())
    Remove-Variable -Name rdpModuleFolders, rdpProgramFiles, rdpSystemFolder, rdpShellModules -ErrorAction Ignore -WhatIf:$false -Confirm:$false
}
Remove-Variable -Name rdpOnWindows -ErrorAction Ignore -WhatIf:$false -Confirm:$false
