#Requires -Version 5.1
<#
.SYNOPSIS
Reads what Windows Firewall does to inbound Remote Desktop connections on the configured port.

.DESCRIPTION
Selects the Remote Desktop rules by rule Name (RemoteDesktop-*) or Group resource
(@FirewallAPI.dll,-28752), never by display text, from the ActiveStore (local and group-policy rules
together), traced (-TracePolicyStore) so each rule says which store it comes from (PolicyStoreSourceType
Local, GroupPolicy, Dynamic, Generated, Hardcoded or MDM). Also finds every other enabled inbound rule whose port filter covers the RDP port (custom
allow rules, and block rules, which beat allow rules), with each rule's protocol, local ports,
program, service and remote addresses. Filters are read in bulk (-All) and joined to their rule by
InstanceID; a rule missing from a bulk read is asked for through its association.
Also read: RDP-Tcp PortNumber, the network category of each connected NIC, the firewall profiles of
the ActiveStore (Enabled, DefaultInboundAction, AllowInboundRules, AllowLocalFirewallRules), and the
MpsSvc and BFE services, and the firewalls registered with Security Center (root/SecurityCenter2
FirewallProduct, client SKUs only). Every enum is written as its name (e.g. Enabled 'True'/'False').

.OUTPUTS
System.String. One JSON probe envelope: {"probe":"firewall","schema":1,"ok":true,"data":{...}}.
#>
[CmdletBinding()]
param()

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../common/RdpHealth.Common.psm1')
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.Firewall.psm1')

$script:RdpGroupResource = '*FirewallAPI.dll,-28752'

function Get-RdpFirewallFilterIndex {
    <#
    .SYNOPSIS
    Filters of one kind from the ActiveStore, by InstanceID (the InstanceID of the rule they belong to).
    .OUTPUTS
    System.Collections.Hashtable
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][ValidateSet('Port', 'Application', 'Service', 'Address')][string]$Kind)
    $index = @{}
    $filters = switch ($Kind) {
        'Port' { @(Get-NetFirewallPortFilter -All -PolicyStore ActiveStore) }
        'Application' { @(Get-NetFirewallApplicationFilter -All -PolicyStore ActiveStore) }
        'Service' { @(Get-NetFirewallServiceFilter -All -PolicyStore ActiveStore) }
        'Address' { @(Get-NetFirewallAddressFilter -All -PolicyStore ActiveStore) }
    }
    foreach ($filter in $filters) { $index[[string]$filter.InstanceID] = $filter }
    $index
}

function Get-RdpFirewallRuleFilter {
    <#
    .SYNOPSIS
    The filter of one kind for a rule: from the bulk index, else through the rule's association.
    .OUTPUTS
    CimInstance (MSFT_NetProtocolPortFilter, MSFT_NetApplicationFilter, MSFT_NetServiceFilter or MSFT_NetAddressFilter)
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]$Rule,
        [Parameter(Mandatory)][AllowEmptyCollection()][hashtable]$Index,
        [Parameter(Mandatory)][ValidateSet('Port', 'Application', 'Service', 'Address')][string]$Kind
    )
    $id = [string]$Rule.InstanceID
    if ($Index.ContainsKey($id)) { return $Index[$id] }
    switch ($Kind) {
        'Port' { Get-NetFirewallPortFilter -AssociatedNetFirewallRule $Rule }
        'Application' { Get-NetFirewallApplicationFilter -AssociatedNetFirewallRule $Rule }
        'Service' { Get-NetFirewallServiceFilter -AssociatedNetFirewallRule $Rule }
        'Address' { Get-NetFirewallAddressFilter -AssociatedNetFirewallRule $Rule }
    }
}

function ConvertTo-RdpStringList {
    <#
    .SYNOPSIS
    A filter value (one string or several) as a string array; 'Any' when absent.
    .OUTPUTS
    System.String[]
    #>
    [CmdletBinding()]
    param([AllowNull()]$Value)
    $list = @($Value | Where-Object { $null -ne $_ } | ForEach-Object { [string]$_ })
    if ($list.Count -eq 0) { $list = @('Any') }
    , $list
}

function Test-RdpFirewallPortCovered {
    <#
    .SYNOPSIS
    Whether a port filter's protocol is TCP, UDP or Any and its LocalPort list holds the port (Any, the number, or a range).
    .OUTPUTS
    System.Boolean
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][AllowEmptyString()][string]$Protocol, [Parameter(Mandatory)][string[]]$LocalPort, [Parameter(Mandatory)][int]$Port)
    if (@('TCP', 'UDP', '6', '17', 'Any') -notcontains $Protocol) { return $false }
    Test-RdpPortCovered -LocalPort $LocalPort -Port $Port
}

function Test-RdpFirewallRuleForTermService {
    <#
    .SYNOPSIS
    Whether a rule's application and service filters let TermService through: program Any or
    svchost.exe, service Any, * or TermService.
    .OUTPUTS
    System.Boolean
    #>
    [CmdletBinding()]
    param([AllowNull()][string]$Program, [AllowNull()][string]$Service)
    $programOk = (-not $Program) -or $Program -eq 'Any' -or $Program -like '*\svchost.exe'
    $serviceOk = (-not $Service) -or $Service -eq 'Any' -or $Service -eq '*' -or $Service -eq 'TermService'
    $programOk -and $serviceOk
}

function ConvertTo-RdpFirewallRuleData {
    <#
    .SYNOPSIS
    One rule with its filters, as the probe reports it (enums as their names).
    .OUTPUTS
    PSCustomObject
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Rule, [Parameter(Mandatory)][hashtable]$Indexes, [Parameter(Mandatory)][bool]$RdpGroup)
    $portFilter = Get-RdpFirewallRuleFilter -Rule $Rule -Index $Indexes.Port -Kind Port
    $applicationFilter = Get-RdpFirewallRuleFilter -Rule $Rule -Index $Indexes.Application -Kind Application
    $serviceFilter = Get-RdpFirewallRuleFilter -Rule $Rule -Index $Indexes.Service -Kind Service
    $addressFilter = Get-RdpFirewallRuleFilter -Rule $Rule -Index $Indexes.Address -Kind Address
    $protocol = $null; $localPorts = @(); $program = $null; $service = $null; $remoteAddresses = @()
    if ($null -ne $portFilter) { $protocol = [string]$portFilter.Protocol; $localPorts = ConvertTo-RdpStringList $portFilter.LocalPort }
    if ($null -ne $applicationFilter) { $program = [string]$applicationFilter.Program }
    if ($null -ne $serviceFilter) { $service = [string]$serviceFilter.Service }
    if ($null -ne $addressFilter) { $remoteAddresses = ConvertTo-RdpStringList $addressFilter.RemoteAddress }
    [PSCustomObject]@{
        name            = [string]$Rule.Name
        displayName     = [string]$Rule.DisplayName
        group           = [string]$Rule.Group
        rdpGroup        = $RdpGroup
        enabled         = [string]$Rule.Enabled
        profile         = [string]$Rule.Profile
        direction       = [string]$Rule.Direction
        action          = [string]$Rule.Action
        policyStoreSourceType = [string]$Rule.PolicyStoreSourceType
        protocol        = $protocol
        localPorts      = @($localPorts)
        program         = $program
        service         = $service
        remoteAddresses = @($remoteAddresses)
    }
}

Invoke-RdpProbe -Name 'firewall' -Body {
    $portNumber = Get-RdpRegistryValue -Path (Get-RdpPath -Name RdpTcp) -Name 'PortNumber'
    $port = 3389
    $portSource = 'default'
    if ($null -ne $portNumber) { $port = [int]$portNumber; $portSource = 'local' }

    # -TracePolicyStore: only with it does the ActiveStore fill PolicyStoreSource(Type) (documented), which
    # says whether a rule is local - ignored when policy sets AllowLocalFirewallRules False - or not.
    $allRules = @(Get-NetFirewallRule -PolicyStore ActiveStore -TracePolicyStore)
    $indexes = @{
        Port        = Get-RdpFirewallFilterIndex -Kind Port
        Application = Get-RdpFirewallFilterIndex -Kind Application
        Service     = Get-RdpFirewallFilterIndex -Kind Service
        Address     = Get-RdpFirewallFilterIndex -Kind Address
    }

    $rdpRules = @()
    $portRules = @()
    foreach ($rule in $allRules) {
        $isRdp = ([string]$rule.Name -like 'RemoteDesktop-*') -or ([string]$rule.Group -like $script:RdpGroupResource)
        if ($isRdp) { $rdpRules += ConvertTo-RdpFirewallRuleData -Rule $rule -Indexes $indexes -RdpGroup $true; continue }
        # Other rules matter only when they are on and inbound and their port filter covers the port.
        if ([string]$rule.Enabled -ne 'True' -or [string]$rule.Direction -ne 'Inbound') { continue }
        $portFilter = Get-RdpFirewallRuleFilter -Rule $rule -Index $indexes.Port -Kind Port
        if ($null -eq $portFilter) { continue }
        $ports = ConvertTo-RdpStringList $portFilter.LocalPort
        if (-not (Test-RdpFirewallPortCovered -Protocol ([string]$portFilter.Protocol) -LocalPort $ports -Port $port)) { continue }
        $data = ConvertTo-RdpFirewallRuleData -Rule $rule -Indexes $indexes -RdpGroup $false
        # A rule scoped to another program or service does not admit TermService (svchost.exe).
        if (-not (Test-RdpFirewallRuleForTermService -Program $data.program -Service $data.service)) { continue }
        $portRules += $data
    }

    $profiles = @(Get-NetFirewallProfile -PolicyStore ActiveStore | ForEach-Object {
            [PSCustomObject]@{
                name                    = [string]$_.Name
                enabled                 = [string]$_.Enabled
                defaultInboundAction    = [string]$_.DefaultInboundAction
                allowInboundRules       = [string]$_.AllowInboundRules
                allowLocalFirewallRules = [string]$_.AllowLocalFirewallRules
            }
        })
    $connections = @(Get-NetConnectionProfile | ForEach-Object {
            [PSCustomObject]@{
                name            = [string]$_.Name
                interfaceAlias  = [string]$_.InterfaceAlias
                interfaceIndex  = [int]$_.InterfaceIndex
                networkCategory = [string]$_.NetworkCategory
            }
        })
    # Client SKUs register third-party firewalls with Security Center; servers have no such namespace.
    $securityCenter = [PSCustomObject]@{ available = $false; products = @() }
    try {
        $products = @(Get-CimInstance -Namespace 'root/SecurityCenter2' -ClassName 'FirewallProduct' -ErrorAction Stop)
        $securityCenter = [PSCustomObject]@{
            available = $true
            products  = @(foreach ($product in $products) {
                    $state = 0
                    if ($null -ne $product.productState) { $state = [int64]$product.productState }
                    # productState bits 12-15: 1 = on (the layout Security Center clients read; not formally documented).
                    [PSCustomObject]@{ name = [string]$product.displayName; productState = $state; enabled = ((($state -shr 12) -band 0xF) -eq 1) }
                })
        }
    } catch {
        Write-Verbose "root/SecurityCenter2 not read: $($_.Exception.Message)"
    }
    $services = @(Get-RdpServiceState -Name 'MpsSvc', 'BFE' | ForEach-Object {
            [PSCustomObject]@{ name = $_.Name; present = $_.Present; state = $_.State; startMode = $_.StartMode }
        })

    [PSCustomObject]@{
        port               = $port
        portSource         = $portSource
        rdpRules           = @($rdpRules)
        portRules          = @($portRules)
        profiles           = @($profiles)
        connectionProfiles = @($connections)
        services           = @($services)
        securityCenter     = $securityCenter
    }
}
