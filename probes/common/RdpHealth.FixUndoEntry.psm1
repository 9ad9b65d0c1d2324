# Undo entries of the fix framework (RdpHealth.Fix.psm1; FIX-FRAMEWORK.md 2): a New-Rdp*Undo records how
# one thing looks before a fix step changes it (registry value and type, CIM method argument or property,
# service state, firewall rule, file ACL as SDDL; the certificate kind is in RdpHealth.FixCertificate.psm1),
# and Restore-RdpUndoEntry puts it back, also from an undo record read back from JSON.
# A new kind = a New-Rdp*Undo + a case in Restore-RdpUndoEntry (this module) + a framework.Tests.ps1 case.
# Windows PowerShell 5.1 syntax only: this file runs elevated on every Windows host as shipped.

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.Common.psm1')
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.FixFolder.psm1')
# The 'certificate' undo kind lives in its own module (New-RdpCertificateUndo, Restore-RdpCertificateUndo).
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.FixCertificate.psm1')

# Remote Desktop Services WMI provider: the property is controlled by group policy.
$script:WbemInvalidOperation = [uint32]2147749910

# ---------------------------------------------------------------- taken before a change

function ConvertTo-RdpRegistryKind {
    <# The registry value kind of a value as Get-ItemProperty returns it. #>
    param($Value)
    if ($Value -is [int]) { return 'DWord' }
    if ($Value -is [long]) { return 'QWord' }
    if ($Value -is [byte[]]) { return 'Binary' }
    # An array of bytes that lost its byte[] type on the way through a pipeline is still binary.
    if ($Value -is [object[]] -and $Value.Count -gt 0 -and @($Value | Where-Object { $_ -isnot [byte] }).Count -eq 0) { return 'Binary' }
    if ($Value -is [string[]] -or $Value -is [object[]]) { return 'MultiString' }
    'String'
}

function Get-RdpRegistryRawValue {
    <#
    .SYNOPSIS
    One registry value exactly as stored (a byte[] or one-element string[] stays an array), wrapped so the
    pipeline does not unroll it: @{ Exists; Value }.
    .OUTPUTS
    PSCustomObject with Exists and Value.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Path, [Parameter(Mandatory)][string]$Name)
    $none = [PSCustomObject]@{ Exists = $false; Value = $null }
    if (-not (Test-Path -LiteralPath $Path)) { return $none }
    $item = Get-ItemProperty -LiteralPath $Path
    $property = $item.PSObject.Properties[$Name]
    if ($null -eq $property) { return $none }
    [PSCustomObject]@{ Exists = $true; Value = $property.Value }
}

function New-RdpRegistryUndo {
    <#
    .SYNOPSIS
    Undo entry for one registry value: whether it existed, its value and its kind (DWord, QWord, String,
    MultiString, Binary; an ExpandString comes back as String).
    .OUTPUTS
    PSCustomObject
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Path, [Parameter(Mandatory)][string]$Name)
    $read = Get-RdpRegistryRawValue -Path $Path -Name $Name
    if (-not $read.Exists) {
        return [PSCustomObject]@{ kind = 'registry'; path = $Path; name = $Name; existed = $false; type = $null; value = $null; description = "Remove $Name from $Path (it did not exist)" }
    }
    $value = $read.Value
    $type = ConvertTo-RdpRegistryKind -Value $value
    $stored = $value
    $shown = $value
    if ($type -eq 'Binary') { $stored = ConvertTo-RdpHex -Bytes $value; $shown = "0x$stored" }
    if ($type -eq 'MultiString') { $stored = [string[]]@($value); $shown = $stored -join ', ' }
    [PSCustomObject]@{ kind = 'registry'; path = $Path; name = $Name; existed = $true; type = $type; value = $stored; description = "Set $Name under $Path back to $shown ($type)" }
}

function New-RdpCimMethodUndo {
    <#
    .SYNOPSIS
    Undo entry that calls a CIM method again with the old value(s), e.g. SetUserAuthenticationRequired
    with the value read before the change. -Arguments: name -> old value; -ArgumentType: uint32 (default), string or boolean.
    .OUTPUTS
    PSCustomObject
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string]$Namespace,
        [Parameter(Mandatory)][ValidatePattern('^[A-Za-z0-9_]+$')][string]$ClassName,
        [Parameter(Mandatory)][string]$Filter,
        [Parameter(Mandatory)][ValidatePattern('^[A-Za-z0-9_]+$')][string]$MethodName,
        [Parameter(Mandatory)][System.Collections.IDictionary]$Arguments,
        [ValidateSet('uint32', 'string', 'boolean')][string]$ArgumentType = 'uint32'
    )
    $shown = @($Arguments.Keys | ForEach-Object { "$_=$($Arguments[$_])" }) -join ', '
    [PSCustomObject]@{
        kind = 'cim-method'; namespace = $Namespace; className = $ClassName; filter = $Filter
        methodName = $MethodName; arguments = (New-Object PSObject -Property $Arguments); argumentType = $ArgumentType
        description = "Set back $shown (through $ClassName.$MethodName)"
    }
}

function New-RdpCimPropertyUndo {
    <#
    .SYNOPSIS
    Undo entry for properties of one CIM instance (e.g. the SSLCertificateSHA1Hash binding), read now.
    .OUTPUTS
    PSCustomObject
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string]$Namespace,
        [Parameter(Mandatory)][ValidatePattern('^[A-Za-z0-9_]+$')][string]$ClassName,
        [Parameter(Mandatory)][string]$Filter,
        [Parameter(Mandatory)][string[]]$Property
    )
    $instance = @(Get-CimInstance -Namespace $Namespace -ClassName $ClassName -Filter $Filter)
    if ($instance.Count -ne 1) { throw (New-RdpProbeError -Kind 'not-found' -Message "Expected one $ClassName where $Filter, found $($instance.Count).") }
    $values = [ordered]@{}
    foreach ($name in $Property) { $values[$name] = $instance[0].$name }
    $shown = @($values.Keys | ForEach-Object { "$_=$($values[$_])" }) -join ', '
    [PSCustomObject]@{ kind = 'cim-property'; namespace = $Namespace; className = $ClassName; filter = $Filter; properties = (New-Object PSObject -Property $values); description = "Set $ClassName ($Filter) back to $shown" }
}

function New-RdpServiceUndo {
    <#
    .SYNOPSIS
    Undo entry for a service: its state (Running/Stopped) and start mode, read now with CIM.
    .DESCRIPTION
    -Dependent names services that stopping this one stops too (UmRdpService for TermService): those
    running now are recorded, and putting a Running service back starts them again after it.
    .OUTPUTS
    PSCustomObject
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][ValidatePattern('^[A-Za-z0-9_]+$')][string]$Name,
        [ValidatePattern('^[A-Za-z0-9_]+$')][string[]]$Dependent = @()
    )
    $service = @(Get-RdpServiceState -Name $Name)[0]
    if (-not $service.Present) { throw (New-RdpProbeError -Kind 'not-found' -Message "Service $Name does not exist.") }
    $running = @()
    if ($Dependent.Count -gt 0) { $running = @(Get-RdpServiceState -Name $Dependent | Where-Object { $_.Present -and $_.State -eq 'Running' } | ForEach-Object { $_.Name }) }
    $description = "Return service $Name to $($service.State), start mode $($service.StartMode)"
    if ($running.Count -gt 0) { $description += ", and start $($running -join ', ') again" }
    [PSCustomObject]@{ kind = 'service'; name = $Name; state = $service.State; startMode = $service.StartMode; dependents = @($running); description = $description }
}

function New-RdpFirewallRuleUndo {
    <#
    .SYNOPSIS
    Undo entry for a firewall rule selected by Name: Enabled, Profile and (when it has one) LocalPort.
    .OUTPUTS
    PSCustomObject
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][ValidatePattern('^[A-Za-z0-9_.-]+$')][string]$Name)
    $rule = Get-NetFirewallRule -Name $Name
    $port = @($rule | Get-NetFirewallPortFilter)
    $localPort = $null
    if ($port.Count -gt 0) { $localPort = @($port[0].LocalPort) }
    [PSCustomObject]@{
        kind = 'firewall-rule'; name = $Name; enabled = [string]$rule.Enabled; profile = [string]$rule.Profile; localPort = $localPort
        description = "Return firewall rule $Name to Enabled=$($rule.Enabled), Profile=$($rule.Profile)"
    }
}

function New-RdpFileAclUndo {
    <#
    .SYNOPSIS
    Undo entry for a file's access rules, saved as SDDL (the DACL only: the owner is left alone).
    .OUTPUTS
    PSCustomObject
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Path)
    $acl = Get-Acl -LiteralPath $Path
    $sddl = $acl.GetSecurityDescriptorSddlForm([System.Security.AccessControl.AccessControlSections]::Access)
    [PSCustomObject]@{ kind = 'file-acl'; path = $Path; sddl = $sddl; description = "Put back the access rules of $Path ($sddl)" }
}

function New-RdpFileContentUndo {
    <#
    .SYNOPSIS
    Undo entry for a small text file the user owns (an .rdp file): its whole text, so undo writes it back.
    .DESCRIPTION
    Written back as UTF-16 LE with a byte order mark, the encoding mstsc writes .rdp files in.
    .OUTPUTS
    PSCustomObject
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Path)
    $text = [string](Get-Content -LiteralPath $Path -Raw)
    [PSCustomObject]@{ kind = 'file-content'; path = $Path; content = $text; description = "Put back the earlier text of $Path" }
}

function New-RdpIrreversibleUndo {
    <#
    .SYNOPSIS
    For a change that cannot be put back (e.g. deleting an expired certificate): undo reports why.
    .OUTPUTS
    PSCustomObject
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Reason)
    [PSCustomObject]@{ kind = 'irreversible'; description = "Not restored: $Reason" }
}

# ---------------------------------------------------------------- restoring an entry

function ConvertFrom-RdpHex {
    <# A hex string as bytes (5.1 has no Convert.FromHexString). #>
    param([Parameter(Mandatory)][AllowEmptyString()][string]$Hex)
    $bytes = New-Object byte[] ($Hex.Length / 2)
    for ($i = 0; $i -lt $bytes.Length; $i++) { $bytes[$i] = [Convert]::ToByte($Hex.Substring($i * 2, 2), 16) }
    , $bytes
}

function ConvertTo-RdpCimArgument {
    param($Value, [string]$Type)
    switch ($Type) {
        'string' { return [string]$Value }
        'boolean' { return [bool]$Value }
        default { return [uint32]$Value }
    }
}

function Test-RdpWbemInvalidOperation {
    <#
    .SYNOPSIS
    Whether an exception is a CimException for WBEM_E_INVALID_OPERATION (0x80041016): by the WMI error
    code in its error data, or by its HRESULT - never by its (localized) message.
    .OUTPUTS
    System.Boolean
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][AllowNull()]$Exception)
    while ($null -ne $Exception) {
        if ($Exception -is [Microsoft.Management.Infrastructure.CimException]) {
            if ([uint32]($Exception.HResult -band 0xFFFFFFFFL) -eq $script:WbemInvalidOperation) { return $true }
            $data = $null
            try { $data = $Exception.ErrorData } catch { Write-Verbose 'The CimException carries no error data.' }
            if ($null -ne $data -and $null -ne $data.PSObject.Properties['error_Code'] -and [uint32]$data.error_Code -eq $script:WbemInvalidOperation) { return $true }
        }
        $Exception = $Exception.InnerException
    }
    $false
}

function Invoke-RdpCimMethod {
    <#
    .SYNOPSIS
    Calls a method on the CIM instance(s) a filter selects (e.g. Win32_TSGeneralSetting where
    TerminalName='RDP-Tcp') and throws unless every call returns 0. Used by fixes and by undo alike.
    .OUTPUTS
    None
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string]$Namespace,
        [Parameter(Mandatory)][ValidatePattern('^[A-Za-z0-9_]+$')][string]$ClassName,
        [Parameter(Mandatory)][string]$Filter,
        [Parameter(Mandatory)][ValidatePattern('^[A-Za-z0-9_]+$')][string]$MethodName,
        [Parameter(Mandatory)][System.Collections.IDictionary]$Arguments
    )
    $query = "SELECT * FROM $ClassName WHERE $Filter"
    $policyRefusal = "$ClassName.$MethodName was refused (0x80041016): group policy controls this setting."
    try {
        $results = @(Invoke-CimMethod -Namespace $Namespace -Query $query -MethodName $MethodName -Arguments $Arguments -WhatIf:$false -Confirm:$false)
    } catch {
        # Under a policy the provider may throw WBEM_E_INVALID_OPERATION instead of returning it.
        if (Test-RdpWbemInvalidOperation -Exception $_.Exception) { throw (New-RdpProbeError -Kind 'error' -Message $policyRefusal) }
        throw
    }
    if ($results.Count -eq 0) { throw (New-RdpProbeError -Kind 'not-found' -Message "No $ClassName where $Filter.") }
    foreach ($result in $results) {
        $code = [uint32]$result.ReturnValue
        if ($code -eq $script:WbemInvalidOperation) {
            throw (New-RdpProbeError -Kind 'error' -Message $policyRefusal)
        }
        if ($code -ne 0) { throw (New-RdpProbeError -Kind 'error' -Message ("$ClassName.$MethodName returned 0x{0:X8}." -f $code)) }
    }
}

function Restore-RdpUndoEntry {
    <#
    .SYNOPSIS
    Puts one thing back the way an undo entry recorded it. Throws when that is not possible.
    .OUTPUTS
    None
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Entry)
    switch ([string]$Entry.kind) {
        'registry' {
            if ($Entry.existed) {
                if (-not (Test-Path -LiteralPath $Entry.path)) { $null = New-Item -Path $Entry.path -Force -WhatIf:$false -Confirm:$false }
                $value = $Entry.value
                switch ([string]$Entry.type) {
                    'DWord' { $value = [int]$value }
                    'QWord' { $value = [long]$value }
                    'Binary' { $value = ConvertFrom-RdpHex -Hex ([string]$value) }
                    'MultiString' { $value = [string[]]@($value) }
                    default { $value = [string]$value }
                }
                $null = New-ItemProperty -LiteralPath $Entry.path -Name $Entry.name -PropertyType $Entry.type -Value $value -Force -WhatIf:$false -Confirm:$false
            } elseif ((Get-RdpRegistryRawValue -Path $Entry.path -Name $Entry.name).Exists) {
                Remove-ItemProperty -LiteralPath $Entry.path -Name $Entry.name -Force -WhatIf:$false -Confirm:$false
            }
        }
        'cim-method' {
            $arguments = @{}
            foreach ($property in $Entry.arguments.PSObject.Properties) { $arguments[$property.Name] = ConvertTo-RdpCimArgument -Value $property.Value -Type $Entry.argumentType }
            Invoke-RdpCimMethod -Namespace $Entry.namespace -ClassName $Entry.className -Filter $Entry.filter -MethodName $Entry.methodName -Arguments $arguments
        }
        'cim-property' {
            $instance = @(Get-CimInstance -Namespace $Entry.namespace -ClassName $Entry.className -Filter $Entry.filter)
            if ($instance.Count -ne 1) { throw (New-RdpProbeError -Kind 'not-found' -Message "Expected one $($Entry.className) where $($Entry.filter), found $($instance.Count).") }
            $values = @{}
            foreach ($property in $Entry.properties.PSObject.Properties) { $values[$property.Name] = $property.Value }
            Set-CimInstance -InputObject $instance[0] -Property $values -WhatIf:$false -Confirm:$false
        }
        'service' {
            $startupType = @{ Auto = 'Automatic'; Manual = 'Manual'; Disabled = 'Disabled' }[[string]$Entry.startMode]
            if ($startupType) { Set-Service -Name $Entry.name -StartupType $startupType -WhatIf:$false -Confirm:$false }
            if ($Entry.state -eq 'Running') {
                Start-Service -Name $Entry.name -WhatIf:$false -Confirm:$false
                # The dependents that ran before (a forced stop stopped them too); older records have none.
                if ($Entry.PSObject.Properties['dependents']) { foreach ($dependent in @($Entry.dependents)) { if ($dependent) { Start-Service -Name ([string]$dependent) -WhatIf:$false -Confirm:$false } } }
            } elseif ($Entry.state -eq 'Stopped') { Stop-Service -Name $Entry.name -Force -WhatIf:$false -Confirm:$false }
        }
        'firewall-rule' {
            $splatRule = @{ Name = $Entry.name; Enabled = $Entry.enabled; Profile = $Entry.profile; WhatIf = $false; Confirm = $false }
            if ($null -ne $Entry.localPort) { $splatRule['LocalPort'] = [string[]]@($Entry.localPort) }
            Set-NetFirewallRule @splatRule
        }
        'file-acl' {
            # A fresh descriptor holding only the DACL: Set-Acl writes the sections the object has, so the
            # owner (SYSTEM on MachineKeys: "not allowed to be the owner") and the SACL stay as they are.
            $acl = New-Object -TypeName System.Security.AccessControl.FileSecurity
            $acl.SetSecurityDescriptorSddlForm($Entry.sddl, [System.Security.AccessControl.AccessControlSections]::Access)
            Set-Acl -LiteralPath $Entry.path -AclObject $acl -WhatIf:$false -Confirm:$false
        }
        'file-content' { Set-Content -LiteralPath $Entry.path -Value ([string]$Entry.content) -Encoding Unicode -NoNewline -WhatIf:$false -Confirm:$false }
        'certificate' { Restore-RdpCertificateUndo -Entry $Entry -Folder (Get-RdpFixRoot) }
        'irreversible' { throw ([string]$Entry.description) }
        default { throw "Unknown undo entry kind '$($Entry.kind)'." }
    }
}

Export-ModuleMember -Function Get-RdpRegistryRawValue, New-RdpRegistryUndo, New-RdpCimMethodUndo, New-RdpCimPropertyUndo, New-RdpServiceUndo, New-RdpFirewallRuleUndo, New-RdpFileAclUndo, New-RdpFileContentUndo, New-RdpIrreversibleUndo, Invoke-RdpCimMethod, Restore-RdpUndoEntry
