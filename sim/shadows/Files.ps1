# Follows: Microsoft Learn Get-ChildItem (FileSystem provider) and the FileInfo class reference (Name, FullName, Length, PSIsContainer).
# Folder listings of the simulated files (Get-ChildItem on a C:\ path), shaped like the FileInfo objects
# Get-ChildItem returns (Name, FullName, PSIsContainer, Length). A folder exists when a file listed in the
# scenario's `files` section (Acl.ps1) lies in it. Listing needs no rights on the files themselves:
# Crypto\RSA\MachineKeys grants Everyone "list folder" (Microsoft's default machine-key permissions,
# learn.microsoft.com/troubleshoot/windows-server/windows-security/default-permissions-machinekeys-folders).
# -Filter uses the provider's wildcard (* and ?); -File and -Name are honoured.

function Get-SimFileChildItem {
    <# The simulated files directly in Folder that match Filter; $null when no simulated file lies there. #>
    param([Parameter(Mandatory)][string]$Folder, [string]$Filter)
    $wanted = ($Folder -replace '^Microsoft\.PowerShell\.Core\\FileSystem::', '' -replace '/', '\').TrimEnd('\')
    $files = Get-SimSection -Key 'files'
    $found = $false
    $items = @(foreach ($key in @($files.Keys)) {
            $at = $key.LastIndexOf('\')
            if ($at -lt 0 -or $key.Substring(0, $at) -ine $wanted) { continue }
            $found = $true
            $name = $key.Substring($at + 1)
            if ($Filter -and $name -notlike $Filter) { continue }
            # A file with simulated text (an .rdp file, ClientFiles.ps1) is as long as that text in UTF-16 with a BOM.
            $length = 2048
            if ($files[$key].Contains('content')) { $length = [System.Text.Encoding]::Unicode.GetByteCount([string]$files[$key]['content']) + 2 }
            $item = [PSCustomObject][ordered]@{ Name = $name; FullName = $key; PSIsContainer = $false; Length = [long]$length; PSChildName = $name; PSPath = "Microsoft.PowerShell.Core\FileSystem::$key" }
            $item.PSObject.TypeNames.Insert(0, 'System.IO.FileInfo')
            $item
        })
    if (-not $found) { return $null }
    , $items
}
