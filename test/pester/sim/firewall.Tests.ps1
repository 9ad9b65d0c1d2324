# The simulated Windows Firewall the firewall fixes call: rules and filters read like NetSecurity's,
# Enable/Disable/Set-NetFirewallRule change the working copy, the ActiveStore is read-only.
BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    function Get-FirewallData { (& (Join-Path $script:RepoRoot 'probes/firewall/Get-RdpFirewall.ps1') | ConvertFrom-Json).data }
    function Get-RdpRule([string]$Name) { @((Get-FirewallData).rdpRules | Where-Object name -eq $Name)[0] }
}

Describe 'Firewall shadows' {
    AfterEach { if ($script:State) { Remove-Item -LiteralPath $script:State -ErrorAction SilentlyContinue } }

    It 'Get-NetFirewallRule: the persistent store holds local rules only, the ActiveStore group-policy ones too' {
        $script:State = Initialize-SimHost -Scenario (New-SimScenarioFile -Extends 'healthy' -Patch @{
                firewall = @{ rules = @{ 'GPO-RDP' = @{ Name = 'GPO-RDP'; Group = '@FirewallAPI.dll,-28752'; PolicyStoreSourceType = 'GroupPolicy'; Protocol = 'TCP'; LocalPort = '3389' } } } })
        @(Get-NetFirewallRule -Name 'GPO-RDP' -PolicyStore ActiveStore).Count | Should -Be 1
        @(Get-NetFirewallRule -Name 'GPO-RDP' -ErrorAction SilentlyContinue).Count | Should -Be 0
        { Get-NetFirewallRule -Name 'GPO-RDP' -ErrorAction Stop } | Should -Throw "*InstanceID' equal to 'GPO-RDP'*"
    }

    It 'selects by Group resource and by query, and prints enums as their names' {
        $script:State = Initialize-SimHost -Scenario 'german-host'
        $rules = @(Get-NetFirewallRule -Group '@FirewallAPI.dll,-28752' -PolicyStore ActiveStore)
        $rules.Count | Should -Be 3
        $rules[0].DisplayGroup | Should -Be 'Remotedesktop'
        [string]$rules[0].Enabled | Should -BeExactly 'True'
        @(Get-NetFirewallRule -Enabled True -Direction Inbound -Action Block -PolicyStore ActiveStore).Count | Should -Be 0
    }

    It 'Get-NetFirewallPortFilter comes from a piped rule or from -All, keyed by the rule InstanceID' {
        $script:State = Initialize-SimHost -Scenario 'healthy'
        $filter = Get-NetFirewallRule -Name 'RemoteDesktop-UserMode-In-TCP' -PolicyStore ActiveStore | Get-NetFirewallPortFilter
        $filter.Protocol | Should -Be 'TCP'
        $filter.LocalPort | Should -Be '3389'
        $filter.InstanceID | Should -Be 'RemoteDesktop-UserMode-In-TCP'
        $all = @(Get-NetFirewallPortFilter -All -PolicyStore ActiveStore)
        ($all | Where-Object InstanceID -eq 'FPS-SMB-In-TCP').LocalPort | Should -Be '445'
        (Get-NetFirewallPortFilter -All -PolicyStore ActiveStore | Where-Object LocalPort -eq '5985' | Get-NetFirewallRule -PolicyStore ActiveStore).Name | Should -Be 'WINRM-HTTP-In-TCP'
    }

    It 'Enable-NetFirewallRule by name turns rules on (the firewall.enable-rules fix)' {
        $script:State = Initialize-SimHost -Scenario (New-SimScenarioFile -Extends 'healthy' -Patch @{ firewall = @{ rules = @{
                        'RemoteDesktop-UserMode-In-TCP' = @{ Enabled = 'False' }; 'RemoteDesktop-UserMode-In-UDP' = @{ Enabled = 'False' } } } })
        Enable-NetFirewallRule -Name 'RemoteDesktop-UserMode-In-TCP', 'RemoteDesktop-UserMode-In-UDP' -WhatIf
        (Get-RdpRule 'RemoteDesktop-UserMode-In-TCP').enabled | Should -Be 'False'
        $changed = Enable-NetFirewallRule -Name 'RemoteDesktop-UserMode-In-TCP', 'RemoteDesktop-UserMode-In-UDP' -PassThru
        @($changed.Enabled) | Should -Be @('True', 'True')
        (Get-RdpRule 'RemoteDesktop-UserMode-In-UDP').enabled | Should -Be 'True'
        Disable-NetFirewallRule -Name 'RemoteDesktop-UserMode-In-UDP'
        (Get-RdpRule 'RemoteDesktop-UserMode-In-UDP').enabled | Should -Be 'False'
    }

    It 'Set-NetFirewallRule changes the port and the profile (the align-port and enable-rules-public fixes)' {
        $script:State = Initialize-SimHost -Scenario 'custom-port-3390'
        Set-NetFirewallRule -Name 'RemoteDesktop-UserMode-In-TCP' -LocalPort 3390
        @((Get-RdpRule 'RemoteDesktop-UserMode-In-TCP').localPorts) | Should -Be @('3390')
        Remove-Item -LiteralPath $script:State
        $script:State = Initialize-SimHost -Scenario 'firewall-public-blocked'
        Set-NetFirewallRule -Name 'RemoteDesktop-UserMode-In-TCP' -Profile Domain, Private, Public
        (Get-RdpRule 'RemoteDesktop-UserMode-In-TCP').profile | Should -Be 'Any'
        Set-NetFirewallRule -Name 'RemoteDesktop-UserMode-In-UDP' -Profile 'Private,Public'
        (Get-RdpRule 'RemoteDesktop-UserMode-In-UDP').profile | Should -Be 'Private, Public'
    }

    It 'refuses to change the read-only ActiveStore' {
        $script:State = Initialize-SimHost -Scenario 'healthy'
        { Disable-NetFirewallRule -Name 'RemoteDesktop-UserMode-In-TCP' -PolicyStore ActiveStore } | Should -Throw '*read-only*'
        (Get-RdpRule 'RemoteDesktop-UserMode-In-TCP').enabled | Should -Be 'True'
    }

    It 'Get-NetFirewallProfile and Get-NetConnectionProfile report the stored profiles and NIC categories' {
        $script:State = Initialize-SimHost -Scenario 'firewall-public-blocked'
        (Get-NetFirewallProfile -Name Public -PolicyStore ActiveStore).Enabled | Should -Be 'True'
        @(Get-NetFirewallProfile -PolicyStore ActiveStore).Count | Should -Be 3
        $nic = Get-NetConnectionProfile
        $nic.NetworkCategory | Should -Be 'Public'
        $nic.InterfaceAlias | Should -Be 'Ethernet'
        @(Get-NetConnectionProfile -NetworkCategory DomainAuthenticated).Count | Should -Be 0
    }
}
