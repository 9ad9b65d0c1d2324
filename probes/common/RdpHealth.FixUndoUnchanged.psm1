# Whether a fix step that threw changed anything (RdpHealth.FixRun.psm1; FIX-FRAMEWORK.md 1): the thing
# is read again the way its undo entry read it before the change. The same reading means the change
# never took effect, so there is nothing to roll back and nothing to keep in an undo record. A kind that
# cannot be read again (irreversible, an unknown one) or a read that fails counts as changed: the step
# is rolled back, as before.
# Windows PowerShell 5.1 syntax only: this file runs elevated on every Windows host as shipped.

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.FixUndoEntry.psm1')
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.FixCertificate.psm1')

function Get-RdpCimMethodUndoNow {
    <#
    .SYNOPSIS
    A cim-method entry taken now: the setters the fixes call (Win32_TSGeneralSetting.SetUserAuthenticationRequired,
    SetSecurityLayer) take the instance property of the same name, so that property is what is read.
    $null when the instance or such a property is missing.
    .OUTPUTS
    PSCustomObject, or $null.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Entry)
    $instance = @(Get-CimInstance -Namespace $Entry.namespace -ClassName $Entry.className -Filter $Entry.filter)
    if ($instance.Count -ne 1) { return $null }
    $arguments = [ordered]@{}
    foreach ($argument in $Entry.arguments.PSObject.Properties) {
        if ($null -eq $instance[0].PSObject.Properties[$argument.Name]) { return $null }
        $arguments[$argument.Name] = $instance[0].($argument.Name)
    }
    New-RdpCimMethodUndo -Namespace $Entry.namespace -ClassName $Entry.className -Filter $Entry.filter `
        -MethodName $Entry.methodName -Arguments $arguments -ArgumentType $Entry.argumentType
}

function Get-RdpUndoEntryNow {
    <#
    .SYNOPSIS
    The undo entry the same constructor would take now, or $null for a kind that cannot be read again.
    .OUTPUTS
    PSCustomObject, or $null.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Entry)
    switch ([string]$Entry.kind) {
        'registry' { return New-RdpRegistryUndo -Path $Entry.path -Name $Entry.name }
        'cim-method' { return Get-RdpCimMethodUndoNow -Entry $Entry }
        'cim-property' {
            $names = [string[]]@($Entry.properties.PSObject.Properties | ForEach-Object { $_.Name })
            return New-RdpCimPropertyUndo -Namespace $Entry.namespace -ClassName $Entry.className -Filter $Entry.filter -Property $names
        }
        'service' {
            # The dependents it recorded as running (UmRdpService for TermService) are read again too.
            $dependents = [string[]]@()
            if ($null -ne $Entry.PSObject.Properties['dependents']) { $dependents = [string[]]@($Entry.dependents) }
            return New-RdpServiceUndo -Name $Entry.name -Dependent $dependents
        }
        'firewall-rule' { return New-RdpFirewallRuleUndo -Name $Entry.name }
        'file-acl' { return New-RdpFileAclUndo -Path $Entry.path }
        'certificate' { return New-RdpCertificateUndo -Store $Entry.store -Thumbprint $Entry.thumbprint }
    }
    $null
}

function Test-RdpUndoEntryUnchanged {
    <#
    .SYNOPSIS
    $true only when the thing an undo entry describes reads now exactly as the entry recorded it.
    .OUTPUTS
    System.Boolean
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Entry)
    try {
        $now = Get-RdpUndoEntryNow -Entry $Entry
    } catch {
        Write-Verbose "Could not read $($Entry.kind) again: $($_.Exception.Message)"
        return $false
    }
    if ($null -eq $now) { return $false }
    (ConvertTo-Json -InputObject $now -Depth 8 -Compress) -ceq (ConvertTo-Json -InputObject $Entry -Depth 8 -Compress)
}

Export-ModuleMember -Function Test-RdpUndoEntryUnchanged
