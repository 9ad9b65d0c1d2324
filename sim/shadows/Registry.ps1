# Follows: Microsoft Learn about_Registry_Provider and Get-ItemProperty/Set-ItemProperty/New-ItemProperty (REG_DWORD reads as Int32, REG_MULTI_SZ as string[]), and a real `reg export` of Terminal Server.
# Registry provider shadows: HKLM: paths read from and write to the scenario's `registry` section,
# { "<key path>": { "<value name>": value } }. Values: numbers (REG_DWORD), strings (REG_SZ),
# { "binary": "hex" } (REG_BINARY), { "multi": [..] } (REG_MULTI_SZ). Keys listed in
# `registryDenied` throw access denied. Other paths go to the real cmdlets.

function Test-SimRegistryPath {
    param([string]$Path)
    $Path -match '^(HKLM|HKCU|Registry::)'
}

function ConvertTo-SimRegistryKey {
    <# Canonical form of a key path, used to look keys up case-insensitively. #>
    param([Parameter(Mandatory)][string]$Path)
    $normal = $Path -replace '/', '\' -replace '^Registry::HKEY_LOCAL_MACHINE', 'HKLM:' -replace '^Microsoft\.PowerShell\.Core\\Registry::HKEY_LOCAL_MACHINE', 'HKLM:'
    $normal.TrimEnd('\')
}

function Find-SimRegistryKey {
    <# The scenario's spelling of a key path, or $null when the key does not exist. #>
    param([Parameter(Mandatory)][string]$Path)
    $wanted = ConvertTo-SimRegistryKey $Path
    $denied = Get-SimSection -Key 'registryDenied'
    foreach ($key in @($denied)) {
        if ($key -is [string] -and $key -ieq $wanted) {
            throw [System.Security.SecurityException]::new("Requested registry access is not allowed. (simulated: $wanted)")
        }
    }
    $registry = Get-SimSection -Key 'registry'
    foreach ($key in $registry.Keys) { if ($key -ieq $wanted) { return $key } }
    # A parent of a stored key exists too.
    foreach ($key in $registry.Keys) { if ($key.StartsWith("$wanted\", [System.StringComparison]::OrdinalIgnoreCase)) { return $wanted } }
    $null
}

function ConvertFrom-SimRegistryValue {
    param($Value)
    if ($Value -is [System.Collections.IDictionary]) {
        if ($Value.Contains('binary')) { return , [byte[]][System.Convert]::FromHexString([string]$Value['binary']) }
        # The comma keeps a REG_MULTI_SZ a string[] (even of one item), as the real provider returns it.
        if ($Value.Contains('multi')) { return , [string[]]@($Value['multi']) }
        if ($Value.Contains('qword')) { return [long]$Value['qword'] }
    }
    # REG_DWORD reads as a signed Int32 on Windows: 0xFFFFFFFF comes back as -1.
    if ($Value -is [long] -or $Value -is [int]) {
        if ($Value -gt [int]::MaxValue -and $Value -le [uint32]::MaxValue) { return [int]($Value - 4294967296) }
        return [int]$Value
    }
    $Value
}

function ConvertTo-SimRegistryValue {
    <# The scenario form of a value; -Kind is New-ItemProperty's -PropertyType / Set-ItemProperty's -Type. #>
    param($Value, [string]$Kind)
    switch ($Kind) {
        'Binary' { return [ordered]@{ binary = [System.Convert]::ToHexString([byte[]]@($Value)) } }
        'MultiString' { return [ordered]@{ multi = [string[]]@($Value) } }
        'QWord' { return [ordered]@{ qword = [long]$Value } }
        'DWord' { return [int]$Value }
        'String' { return [string]$Value }
        'ExpandString' { return [string]$Value }
    }
    if ($Value -is [byte[]]) { return [ordered]@{ binary = [System.Convert]::ToHexString($Value) } }
    if ($Value -is [string[]]) { return [ordered]@{ multi = $Value } }
    if ($Value -is [long]) { return [ordered]@{ qword = $Value } }
    $Value
}

function New-SimItemNotFound {
    <# The error a provider cmdlet writes for a path that does not exist (registry, Cert:\ and file shadows). #>
    param([string]$Path)
    $exception = [System.Management.Automation.ItemNotFoundException]::new("Cannot find path '$Path' because it does not exist.")
    [System.Management.Automation.ErrorRecord]::new($exception, 'PathNotFound', 'ObjectNotFound', $Path)
}

function Test-Path {
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    param(
        [Parameter(ParameterSetName = 'Path', Position = 0)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath')][string[]]$LiteralPath,
        [Microsoft.PowerShell.Commands.TestPathType]$PathType = 'Any',
        [switch]$IsValid
    )
    $paths = @(if ($PSCmdlet.ParameterSetName -eq 'Path') { $Path } else { $LiteralPath })
    if (-not (Test-SimRegistryPath $paths[0])) { return Microsoft.PowerShell.Management\Test-Path @PSBoundParameters }
    Invoke-SimFault -Command 'Test-Path'
    foreach ($one in $paths) { $null -ne (Find-SimRegistryKey $one) }
}

function Get-ItemProperty {
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    param(
        [Parameter(ParameterSetName = 'Path', Position = 0, Mandatory)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory)][string[]]$LiteralPath,
        [Parameter(Position = 1)][string[]]$Name
    )
    $paths = @(if ($PSCmdlet.ParameterSetName -eq 'Path') { $Path } else { $LiteralPath })
    if (-not (Test-SimRegistryPath $paths[0])) { return Microsoft.PowerShell.Management\Get-ItemProperty @PSBoundParameters }
    Invoke-SimFault -Command 'Get-ItemProperty'
    foreach ($one in $paths) {
        $key = Find-SimRegistryKey $one
        if ($null -eq $key) { $PSCmdlet.WriteError((New-SimItemNotFound $one)); continue }
        $values = (Get-SimSection -Key 'registry')[$key]
        if ($null -eq $values) { $values = [ordered]@{} }
        $result = [ordered]@{}
        foreach ($valueName in $values.Keys) {
            if ($Name -and -not ($Name | Where-Object { $valueName -like $_ })) { continue }
            $result[$valueName] = ConvertFrom-SimRegistryValue $values[$valueName]
        }
        if ($Name -and $result.Count -eq 0) {
            $exception = [System.Management.Automation.PSArgumentException]::new("Property $($Name -join ', ') does not exist at path $one.")
            $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($exception, 'System.Management.Automation.PSArgumentException', 'InvalidArgument', $one))
            continue
        }
        $result['PSPath'] = "Microsoft.PowerShell.Core\Registry::$key"
        [PSCustomObject]$result
    }
}

function Get-ItemPropertyValue {
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    param(
        [Parameter(ParameterSetName = 'Path', Position = 0)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory)][string[]]$LiteralPath,
        [Parameter(Position = 1, Mandatory)][string[]]$Name
    )
    $paths = @(if ($PSCmdlet.ParameterSetName -eq 'Path') { $Path } else { $LiteralPath })
    if (-not (Test-SimRegistryPath $paths[0])) { return Microsoft.PowerShell.Management\Get-ItemPropertyValue @PSBoundParameters }
    $item = Get-ItemProperty -LiteralPath $paths -Name $Name -ErrorAction Stop
    foreach ($valueName in $Name) { $item.$valueName }
}

function Set-SimRegistryValue {
    <# Writes one value into the working copy (creating the key when asked). #>
    param([string]$Path, [string]$Name, $Value, [string]$Kind, [switch]$CreateKey)
    Invoke-SimFault -Command 'Set-RegistryValue'
    $state = Get-SimState
    $key = Find-SimRegistryKey $Path
    if ($null -eq $key) {
        if (-not $CreateKey) { throw (New-SimItemNotFound $Path).Exception }
        $key = ConvertTo-SimRegistryKey $Path
    }
    if (-not $state.Contains('registry')) { $state['registry'] = [ordered]@{} }
    if (-not $state['registry'].Contains($key) -or $null -eq $state['registry'][$key]) { $state['registry'][$key] = [ordered]@{} }
    if ($null -eq $Value) { $state['registry'][$key].Remove($Name) }
    else { $state['registry'][$key][$Name] = ConvertTo-SimRegistryValue -Value $Value -Kind $Kind }
    # Remote connections allowed or denied: a running TermService opens or closes its listener (Services.ps1).
    if ($Name -ieq 'fDenyTSConnections') { Update-SimRdpDenyListener -State $state }
    Save-SimState -State $state
}

function Set-ItemProperty {
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'propertyValuePathSet')]
    param(
        [Parameter(ParameterSetName = 'propertyValuePathSet', Position = 0, Mandatory)][string[]]$Path,
        [Parameter(ParameterSetName = 'propertyValueLiteralPathSet', Mandatory)][string[]]$LiteralPath,
        [Parameter(Position = 1, Mandatory)][string]$Name,
        [Parameter(Position = 2)][AllowNull()]$Value,
        [Microsoft.Win32.RegistryValueKind]$Type,
        [switch]$Force,
        [switch]$PassThru
    )
    $paths = @(if ($PSCmdlet.ParameterSetName -eq 'propertyValuePathSet') { $Path } else { $LiteralPath })
    if (-not (Test-SimRegistryPath $paths[0])) { return Microsoft.PowerShell.Management\Set-ItemProperty @PSBoundParameters }
    foreach ($one in $paths) {
        if ($PSCmdlet.ShouldProcess("Item: $one Property: $Name", 'Set Property')) {
            $kind = if ($PSBoundParameters.ContainsKey('Type')) { [string]$Type } else { '' }
            Set-SimRegistryValue -Path $one -Name $Name -Value $Value -Kind $kind
        }
    }
}

function New-ItemProperty {
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'Path')]
    param(
        [Parameter(ParameterSetName = 'Path', Position = 0, Mandatory)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory)][string[]]$LiteralPath,
        [Parameter(Mandatory)][string]$Name,
        [string]$PropertyType,
        $Value,
        [switch]$Force
    )
    $paths = @(if ($PSCmdlet.ParameterSetName -eq 'Path') { $Path } else { $LiteralPath })
    if (-not (Test-SimRegistryPath $paths[0])) { return Microsoft.PowerShell.Management\New-ItemProperty @PSBoundParameters }
    foreach ($one in $paths) {
        if ($PSCmdlet.ShouldProcess("Item: $one Destination Property: $Name", 'New Property')) {
            Set-SimRegistryValue -Path $one -Name $Name -Value $Value -Kind $PropertyType
        }
    }
}

function Remove-ItemProperty {
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'Path')]
    param(
        [Parameter(ParameterSetName = 'Path', Position = 0, Mandatory)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory)][string[]]$LiteralPath,
        [Parameter(Position = 1, Mandatory)][string[]]$Name,
        [switch]$Force
    )
    $paths = @(if ($PSCmdlet.ParameterSetName -eq 'Path') { $Path } else { $LiteralPath })
    if (-not (Test-SimRegistryPath $paths[0])) { return Microsoft.PowerShell.Management\Remove-ItemProperty @PSBoundParameters }
    foreach ($one in $paths) {
        foreach ($valueName in $Name) {
            if ($PSCmdlet.ShouldProcess("Item: $one Property: $valueName", 'Remove Property')) {
                Set-SimRegistryValue -Path $one -Name $valueName -Value $null
            }
        }
    }
}

function New-Item {
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'pathSet')]
    param(
        [Parameter(ParameterSetName = 'pathSet', Position = 0, Mandatory)][string[]]$Path,
        [Parameter(ParameterSetName = 'nameSet')][string]$Name,
        [string]$ItemType,
        $Value,
        [switch]$Force
    )
    if (-not $Path -or -not (Test-SimRegistryPath $Path[0])) { return Microsoft.PowerShell.Management\New-Item @PSBoundParameters }
    foreach ($one in $Path) {
        if ($PSCmdlet.ShouldProcess("Item: $one", 'Create Key')) {
            Invoke-SimFault -Command 'New-Item'
            $state = Get-SimState
            $key = ConvertTo-SimRegistryKey $one
            if (-not $state['registry'].Contains($key)) { $state['registry'][$key] = [ordered]@{} }
            Save-SimState -State $state
        }
    }
}
