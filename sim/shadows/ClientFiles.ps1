# Follows: the registry and FileSystem providers as real Windows shows them (Get-ChildItem on an
# HKCU: key lists its subkeys with PSChildName; on a folder, its files with Name, FullName, Length;
# Get-Content -Raw returns the text): the client side's RDP history and .rdp files.
# Registry subkeys come from the scenario's `registry` section (a key path's next segment);
# files from the `files` section, entries with a `content` string:
#   "files": { "C:\\Users\\alice\\Documents\\work.rdp": { "owner": "S-1-5-21-...-1001", "content": "full address:s:host\n" } }
# Certificates.ps1's Get-ChildItem hands registry paths here, and folders of simulated files to Files.ps1.
# Set-Content writes a simulated file's text (the user owns the files in their Documents, so a
# Set-Content by that user succeeds, as on Windows); any other path goes to the real cmdlet.
# Faults: 'Get-Content', 'Set-Content' (simulated files only).

function Get-SimRegistryChildItem {
    param([Parameter(Mandatory)][string[]]$Path, [switch]$Name)
    foreach ($one in $Path) {
        $parent = Find-SimRegistryKey $one
        if ($null -eq $parent) { Write-Error -ErrorRecord (New-SimItemNotFound $one); continue }
        $children = [ordered]@{}
        foreach ($key in (Get-SimSection -Key 'registry').Keys) {
            if (-not $key.StartsWith("$parent\", [System.StringComparison]::OrdinalIgnoreCase)) { continue }
            $child = $key.Substring($parent.Length + 1).Split('\')[0]
            if (-not $children.Contains($child)) { $children[$child] = "$parent\$child" }
        }
        foreach ($child in $children.Keys) {
            if ($Name) { $child; continue }
            $full = $children[$child] -replace '^HKCU:', 'HKEY_CURRENT_USER' -replace '^HKLM:', 'HKEY_LOCAL_MACHINE'
            [PSCustomObject]@{ PSChildName = $child; Name = $full; PSPath = "Microsoft.PowerShell.Core\Registry::$full"; PSIsContainer = $true }
        }
    }
}

function Get-Content {
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    param(
        [Parameter(ParameterSetName = 'Path', Position = 0, Mandatory)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory)][Alias('PSPath', 'LP')][string[]]$LiteralPath,
        [switch]$Raw,
        [object]$Encoding,
        [long]$TotalCount = -1
    )
    $paths = @(if ($PSCmdlet.ParameterSetName -eq 'Path') { $Path } else { $LiteralPath })
    if (-not (Test-SimFilePath $paths[0])) { return Microsoft.PowerShell.Management\Get-Content @PSBoundParameters }
    Invoke-SimFault -Command 'Get-Content'
    foreach ($one in $paths) {
        $key = Find-SimFile $one
        if ($null -eq $key -or -not (Get-SimSection -Key 'files')[$key].Contains('content')) { $PSCmdlet.WriteError((New-SimItemNotFound $one)); continue }
        $text = [string](Get-SimSection -Key 'files')[$key]['content']
        if ($Raw) { $text } else { $text -split "`r?`n" }
    }
}

function Set-Content {
    [CmdletBinding(DefaultParameterSetName = 'Path', SupportsShouldProcess)]
    param(
        [Parameter(ParameterSetName = 'Path', Position = 0, Mandatory)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory)][Alias('PSPath', 'LP')][string[]]$LiteralPath,
        [Parameter(Position = 1, ValueFromPipeline)][AllowEmptyString()][AllowNull()][object[]]$Value,
        [object]$Encoding,
        [switch]$NoNewline,
        [switch]$Force
    )
    begin { $collected = New-Object System.Collections.ArrayList }
    process { foreach ($item in @($Value)) { $null = $collected.Add($item) } }
    end {
        $paths = @(if ($PSCmdlet.ParameterSetName -eq 'Path') { $Path } else { $LiteralPath })
        if (-not (Test-SimFilePath $paths[0])) {
            $forward = @{} + $PSBoundParameters
            $forward['Value'] = $collected.ToArray()
            Microsoft.PowerShell.Management\Set-Content @forward
            return
        }
        Invoke-SimFault -Command 'Set-Content'
        $state = Get-SimState
        $files = Get-SimSection -Key 'files' -State $state
        $changed = $false
        foreach ($one in $paths) {
            $key = Find-SimFile $one
            if ($null -eq $key -or -not $files[$key].Contains('content')) { throw (New-SimItemNotFound $one).Exception }
            if (-not $PSCmdlet.ShouldProcess($one, 'Set Content')) { continue }
            $separator = "`r`n"
            if ($NoNewline) { $separator = '' }
            $text = (@($collected) | ForEach-Object { [string]$_ }) -join $separator
            if (-not $NoNewline) { $text += "`r`n" }
            $files[$key]['content'] = $text
            $changed = $true
        }
        if ($changed) { Save-SimState -State $state }
    }
}
