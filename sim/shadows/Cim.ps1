# Follows: Microsoft Learn CimCmdlets (Get-CimInstance, Invoke-CimMethod, Set-CimInstance) and the WQL SELECT/WHERE reference.
# CIM shadows: instances live in the scenario's `cim` section, keyed by "<namespace>:<class>", then
# by instance key (Name for Win32_Service, TerminalName for Win32_TSGeneralSetting, ...):
#   "cim": { "root/cimv2:Win32_Service": { "TermService": { "Name": "TermService", "State": "Running" } } }
# Methods are handled by script blocks registered in $script:SimCimMethods["<class>.<method>"]
# (see the other shadow files); each gets (instanceKey, instance, arguments, state) and returns a
# ReturnValue. Instances carry hidden properties so Invoke-CimMethod/Set-CimInstance find them again.
# A namespace in `host.adminOnly.cimNamespaces` refuses a non-elevated identity (Identity.ps1) as WMI
# does: a CimException "Access denied", category PermissionDenied, HRESULT 0x80041003 (WBEM_E_ACCESS_DENIED),
# written as a non-terminating error when -ErrorAction says so, else thrown.

$script:SimCimMethods = @{}

function ConvertTo-SimNamespace {
    param([string]$Namespace)
    if (-not $Namespace) { return 'root/cimv2' }
    ($Namespace -replace '\\', '/').ToLowerInvariant()
}

function Get-SimCimClassTable {
    <# The instance table of one class: the dictionary key and its instances. #>
    param([string]$Namespace, [Parameter(Mandatory)][string]$ClassName)
    $wanted = "$(ConvertTo-SimNamespace $Namespace):$ClassName"
    $cim = Get-SimSection -Key 'cim'
    foreach ($key in $cim.Keys) { if ($key -ieq $wanted) { return @{ Key = $key; Instances = $cim[$key] } } }
    @{ Key = $wanted; Instances = [ordered]@{} }
}

function ConvertFrom-SimCimQuery {
    <# 'SELECT * FROM <class> [WHERE <filter>]' (the only query form simulated) -> @{ ClassName; Filter }. #>
    param([Parameter(Mandatory)][string]$Query)
    if ($Query -notmatch '^\s*SELECT\s+\S+\s+FROM\s+(\w+)(?:\s+WHERE\s+(.+))?$') { throw "Unsupported simulated query: $Query" }
    @{ ClassName = $Matches[1]; Filter = $Matches[2] }
}

function Test-SimCimFilter {
    <# WQL where-clause subset: comparisons (=, <>, !=, LIKE with %) joined by AND / OR. #>
    param($Instance, [string]$Filter)
    if (-not $Filter) { return $true }
    foreach ($alternative in ($Filter -split '\s+OR\s+')) {
        $all = $true
        foreach ($term in ($alternative -split '\s+AND\s+')) {
            if ($term -notmatch "^\s*\(?\s*(\w+)\s*(=|<>|!=|LIKE)\s*(?:'([^']*)'|`"([^`"]*)`"|(\S+?))\s*\)?\s*$") {
                throw [Microsoft.Management.Infrastructure.CimException]::new("Invalid query (simulated WQL subset): $Filter")
            }
            $property = $Matches[1]; $operator = $Matches[2].ToUpperInvariant()
            $expected = if ($null -ne $Matches[3]) { $Matches[3] } elseif ($null -ne $Matches[4]) { $Matches[4] } else { $Matches[5] }
            $actual = if ($Instance.Contains($property)) { [string]$Instance[$property] } else { $null }
            $match = switch ($operator) {
                '=' { $actual -ieq $expected }
                'LIKE' { $actual -ilike ($expected -replace '%', '*' -replace '_', '?') }
                default { $actual -ine $expected }
            }
            if (-not $match) { $all = $false; break }
        }
        if ($all) { return $true }
    }
    $false
}

function New-SimCimInstance {
    param([string]$Namespace, [string]$ClassName, [string]$Key, $Properties)
    $object = [PSCustomObject]([ordered]@{} + $Properties)
    $object.PSObject.TypeNames.Insert(0, "Microsoft.Management.Infrastructure.CimInstance#$Namespace/$ClassName")
    $object | Add-Member -MemberType NoteProperty -Name CimClassName -Value $ClassName -Force
    $object | Add-Member -MemberType NoteProperty -Name SimInstanceKey -Value $Key -Force
    $object | Add-Member -MemberType NoteProperty -Name SimNamespace -Value $Namespace -Force
    $object
}

function Assert-SimCimNamespaceOpen {
    <# Refuses an admin-only namespace to a non-elevated identity (the error Get-CimInstance writes). #>
    param([Parameter(Mandatory)][System.Management.Automation.PSCmdlet]$Cmdlet, [string]$Namespace, [string]$ClassName, [string]$Command)
    $Namespace = ConvertTo-SimNamespace $Namespace
    if (-not (Test-SimAdminOnly -Kind 'cimNamespaces' -Name $Namespace)) { return $true }
    $record = New-SimCimAccessDenied -Namespace $Namespace -ClassName $ClassName -Command $Command
    $action = $Cmdlet.MyInvocation.BoundParameters['ErrorAction']
    if ($null -ne $action -and [string]$action -ne 'Stop') { $Cmdlet.WriteError($record); return $false }
    $Cmdlet.ThrowTerminatingError($record)
}

function Get-CimInstance {
    [CmdletBinding(DefaultParameterSetName = 'ClassNameComputerSet')]
    param(
        [Parameter(ParameterSetName = 'ClassNameComputerSet', Position = 0, Mandatory)][string]$ClassName,
        [Parameter(ParameterSetName = 'QuerySet', Mandatory)][string]$Query,
        [string]$Namespace,
        [string]$Filter,
        [string[]]$Property,
        [uint32]$OperationTimeoutSec,
        [string[]]$ComputerName
    )
    Invoke-SimFault -Command 'Get-CimInstance'
    if ($PSCmdlet.ParameterSetName -eq 'QuerySet') {
        $parsed = ConvertFrom-SimCimQuery -Query $Query
        $ClassName = $parsed.ClassName; $Filter = $parsed.Filter
    }
    $ns = ConvertTo-SimNamespace $Namespace
    $faultName = "Get-CimInstance:$ClassName"
    Invoke-SimFault -Command $faultName
    if (-not (Assert-SimCimNamespaceOpen -Cmdlet $PSCmdlet -Namespace $ns -ClassName $ClassName -Command 'GetCimInstanceCommand')) { return }
    $table = Get-SimCimClassTable -Namespace $ns -ClassName $ClassName
    foreach ($key in @($table.Instances.Keys)) {
        $instance = $table.Instances[$key]
        if (Test-SimCimFilter -Instance $instance -Filter $Filter) { New-SimCimInstance -Namespace $ns -ClassName $ClassName -Key $key -Properties $instance }
    }
}

function Get-SimCimTarget {
    <# The stored instance an Invoke-CimMethod/Set-CimInstance call is about. #>
    param($InputObject, [string]$Namespace, [string]$ClassName, [string]$Filter)
    if ($null -ne $InputObject) {
        return @{ Namespace = $InputObject.SimNamespace; ClassName = $InputObject.CimClassName; Keys = @($InputObject.SimInstanceKey) }
    }
    $ns = ConvertTo-SimNamespace $Namespace
    $table = Get-SimCimClassTable -Namespace $ns -ClassName $ClassName
    $keys = @($table.Instances.Keys | Where-Object { Test-SimCimFilter -Instance $table.Instances[$_] -Filter $Filter })
    @{ Namespace = $ns; ClassName = $ClassName; Keys = $keys }
}

function Invoke-CimMethod {
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'ClassNameComputerSet')]
    param(
        [Parameter(ParameterSetName = 'CimInstanceComputerSet', Mandatory, ValueFromPipeline)]$InputObject,
        [Parameter(ParameterSetName = 'ClassNameComputerSet', Position = 0, Mandatory)][string]$ClassName,
        [Parameter(ParameterSetName = 'QueryComputerSet', Mandatory)][string]$Query,
        [string]$Namespace,
        [Parameter(Mandatory)][string]$MethodName,
        [System.Collections.IDictionary]$Arguments = @{},
        [uint32]$OperationTimeoutSec
    )
    process {
        Invoke-SimFault -Command 'Invoke-CimMethod'
        Invoke-SimFault -Command "Invoke-CimMethod:$MethodName"
        $filter = $null
        if ($PSCmdlet.ParameterSetName -eq 'QueryComputerSet') {
            $parsed = ConvertFrom-SimCimQuery -Query $Query
            $ClassName = $parsed.ClassName; $filter = $parsed.Filter
        }
        $target = Get-SimCimTarget -InputObject $InputObject -Namespace $Namespace -ClassName $ClassName -Filter $filter
        if (-not (Assert-SimCimNamespaceOpen -Cmdlet $PSCmdlet -Namespace $target.Namespace -ClassName $target.ClassName -Command 'InvokeCimMethodCommand')) { return }
        $handler = $script:SimCimMethods["$($target.ClassName).$MethodName"]
        if ($null -eq $handler) { throw [System.NotSupportedException]::new("The simulated host does not implement $($target.ClassName).$MethodName") }
        if (-not $PSCmdlet.ShouldProcess("$($target.ClassName)", $MethodName)) { return }
        $state = Get-SimState
        $table = Get-SimCimClassTable -Namespace $target.Namespace -ClassName $target.ClassName
        foreach ($key in $target.Keys) {
            $returnValue = & $handler $key $table.Instances[$key] $Arguments $state
            Save-SimState -State $state
            [PSCustomObject]@{ ReturnValue = [uint32]$returnValue; PSComputerName = $null }
        }
    }
}

function Set-CimInstance {
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'CimInstanceComputerSet')]
    param(
        [Parameter(ParameterSetName = 'CimInstanceComputerSet', Mandatory, ValueFromPipeline)]$InputObject,
        [Parameter(ParameterSetName = 'QueryComputerSet', Mandatory)][string]$Query,
        [string]$Namespace,
        [System.Collections.IDictionary]$Property,
        [switch]$PassThru
    )
    process {
        Invoke-SimFault -Command 'Set-CimInstance'
        $filter = $null; $className = $null
        if ($PSCmdlet.ParameterSetName -eq 'QueryComputerSet') {
            $parsed = ConvertFrom-SimCimQuery -Query $Query
            $className = $parsed.ClassName; $filter = $parsed.Filter
        }
        $target = Get-SimCimTarget -InputObject $InputObject -Namespace $Namespace -ClassName $className -Filter $filter
        if (-not (Assert-SimCimNamespaceOpen -Cmdlet $PSCmdlet -Namespace $target.Namespace -ClassName $target.ClassName -Command 'SetCimInstanceCommand')) { return }
        if (-not $PSCmdlet.ShouldProcess("$($target.ClassName)", 'Set-CimInstance')) { return }
        $state = Get-SimState
        $table = Get-SimCimClassTable -Namespace $target.Namespace -ClassName $target.ClassName
        foreach ($key in $target.Keys) {
            foreach ($name in $Property.Keys) { $table.Instances[$key][$name] = $Property[$name] }
        }
        Save-SimState -State $state
    }
}
