BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    $script:Probe = 'firewall/Get-RdpFirewall.ps1'
    function Get-Rule($Result, [string]$Name) { @($Result.data.rdpRules + $Result.data.portRules | Where-Object { $_.name -eq $Name })[0] }
}

Describe 'Get-RdpFirewall' {
    It 'reads the Remote Desktop rules with their filters, the profiles, the NIC category and the services on a healthy host' {
        $result = Invoke-SimProbe -Script $Probe -Scenario 'healthy'
        $result.ok | Should -BeTrue
        $result.probe | Should -Be 'firewall'
        $result.data.port | Should -Be 3389
        $result.data.portSource | Should -Be 'local'
        @($result.data.rdpRules.name) | Should -Be @('RemoteDesktop-UserMode-In-TCP', 'RemoteDesktop-UserMode-In-UDP', 'RemoteDesktop-Shadow-In-TCP')
        $tcp = Get-Rule $result 'RemoteDesktop-UserMode-In-TCP'
        $tcp.enabled | Should -BeExactly 'True'
        $tcp.profile | Should -Be 'Any'
        $tcp.direction | Should -Be 'Inbound'
        $tcp.action | Should -Be 'Allow'
        $tcp.protocol | Should -Be 'TCP'
        @($tcp.localPorts) | Should -Be @('3389')
        $tcp.program | Should -Be '%SystemRoot%\system32\svchost.exe'
        $tcp.service | Should -Be 'termservice'
        @($tcp.remoteAddresses) | Should -Be @('Any')
        $tcp.policyStoreSourceType | Should -Be 'Local'
        $tcp.rdpGroup | Should -BeTrue
        (Get-Rule $result 'RemoteDesktop-Shadow-In-TCP').program | Should -Be '%SystemRoot%\system32\RdpSa.exe'
        @($result.data.profiles.name) | Should -Be @('Domain', 'Private', 'Public')
        $result.data.profiles[0].allowLocalFirewallRules | Should -Be 'NotConfigured'
        $result.data.connectionProfiles.Count | Should -Be 1
        $result.data.connectionProfiles[0].networkCategory | Should -Be 'DomainAuthenticated'
        $result.data.connectionProfiles[0].interfaceAlias | Should -Be 'Ethernet'
        ($result.data.services | Where-Object name -eq 'MpsSvc').state | Should -Be 'Running'
        ($result.data.services | Where-Object name -eq 'BFE').startMode | Should -Be 'Auto'
    }

    It 'leaves out rules for other ports and rules for other programs' {
        $result = Invoke-SimProbe -Script $Probe -Scenario 'healthy'
        # SMB (445), WinRM (5985) and an app rule that covers every port but only for agent.exe.
        @($result.data.portRules).Count | Should -Be 0
    }

    It 'reports rules scoped to Domain and Private while the NIC is Public (firewall-public-blocked)' {
        $result = Invoke-SimProbe -Script $Probe -Scenario 'firewall-public-blocked'
        (Get-Rule $result 'RemoteDesktop-UserMode-In-TCP').profile | Should -Be 'Domain, Private'
        (Get-Rule $result 'RemoteDesktop-UserMode-In-TCP').enabled | Should -Be 'True'
        $result.data.connectionProfiles[0].networkCategory | Should -Be 'Public'
    }

    It 'reports the configured port 3390 next to a rule still on 3389 (custom-port-3390)' {
        $result = Invoke-SimProbe -Script $Probe -Scenario 'custom-port-3390'
        $result.data.port | Should -Be 3390
        @((Get-Rule $result 'RemoteDesktop-UserMode-In-TCP').localPorts) | Should -Be @('3389')
    }

    It 'finds the rules by Name and Group on a German host, whatever their display text (german-host)' {
        $result = Invoke-SimProbe -Script $Probe -Scenario 'german-host'
        $result.ok | Should -BeTrue
        @($result.data.rdpRules).Count | Should -Be 3
        (Get-Rule $result 'RemoteDesktop-UserMode-In-TCP').displayName | Should -Be 'Remotedesktop - Benutzermodus (TCP eingehend)'
        $result.data.connectionProfiles[0].networkCategory | Should -Be 'Private'
    }

    It 'finds a Remote Desktop rule by its group resource when its name is custom' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ firewall = @{ rules = @{ 'Custom-RDP' = @{
                        Name = 'Custom-RDP'; DisplayName = 'RDP'; Group = '@FirewallAPI.dll,-28752'; Enabled = 'False'; Profile = 'Any'
                        Direction = 'Inbound'; Action = 'Allow'; Protocol = 'TCP'; LocalPort = '3389'; PolicyStoreSourceType = 'Local' } } } }
        $result = Invoke-SimProbe -Script $Probe -Scenario $scenario
        $rule = Get-Rule $result 'Custom-RDP'
        $rule.rdpGroup | Should -BeTrue
        $rule.enabled | Should -Be 'False'
        $rule.program | Should -Be 'Any'
    }

    It 'reports an enabled inbound block rule on the port, with its port range and remote scope' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ firewall = @{ rules = @{
                    'Block-Remote-Admin' = @{ Name = 'Block-Remote-Admin'; DisplayName = 'Block remote admin'; Enabled = 'True'; Profile = 'Domain'
                        Direction = 'Inbound'; Action = 'Block'; Protocol = 'TCP'; LocalPort = @('3000-3999', '5985'); PolicyStoreSourceType = 'GroupPolicy' }
                    'Block-Off' = @{ Name = 'Block-Off'; Enabled = 'False'; Direction = 'Inbound'; Action = 'Block'; Protocol = 'TCP'; LocalPort = '3389' }
                    'Block-Outbound' = @{ Name = 'Block-Outbound'; Enabled = 'True'; Direction = 'Outbound'; Action = 'Block'; Protocol = 'TCP'; LocalPort = '3389' }
                    'Block-Scoped' = @{ Name = 'Block-Scoped'; Enabled = 'True'; Direction = 'Inbound'; Action = 'Block'; Protocol = 'Any'; LocalPort = 'Any'; RemoteAddress = @('203.0.113.0/24', '198.51.100.7') }
                } } }
        $result = Invoke-SimProbe -Script $Probe -Scenario $scenario
        @($result.data.portRules.name | Sort-Object) | Should -Be @('Block-Remote-Admin', 'Block-Scoped')
        $block = Get-Rule $result 'Block-Remote-Admin'
        $block.action | Should -Be 'Block'
        $block.policyStoreSourceType | Should -Be 'GroupPolicy'
        @($block.localPorts) | Should -Be @('3000-3999', '5985')
        @((Get-Rule $result 'Block-Scoped').remoteAddresses) | Should -Be @('203.0.113.0/24', '198.51.100.7')
    }

    It 'reads group-policy rules only from the ActiveStore and reports the policy profile settings' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ firewall = @{
                rules    = @{ 'RemoteDesktop-UserMode-In-TCP' = @{ PolicyStoreSourceType = 'GroupPolicy' } }
                profiles = @{ Domain = @{ AllowLocalFirewallRules = 'False'; AllowInboundRules = 'True'; DefaultInboundAction = 'Block' } }
            } }
        $result = Invoke-SimProbe -Script $Probe -Scenario $scenario
        (Get-Rule $result 'RemoteDesktop-UserMode-In-TCP').policyStoreSourceType | Should -Be 'GroupPolicy'
        $domain = $result.data.profiles | Where-Object name -eq 'Domain'
        $domain.allowLocalFirewallRules | Should -Be 'False'
        $domain.defaultInboundAction | Should -Be 'Block'
    }

    It 'uses 3389 when PortNumber is absent and says so' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ registry = @{ 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' = @{ PortNumber = $null } } }
        $result = Invoke-SimProbe -Script $Probe -Scenario $scenario
        $result.data.port | Should -Be 3389
        $result.data.portSource | Should -Be 'default'
    }

    It 'reports a stopped firewall service' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ cim = @{ 'root/cimv2:Win32_Service' = @{ MpsSvc = @{ State = 'Stopped'; StartMode = 'Disabled'; ProcessId = 0 } } } }
        $result = Invoke-SimProbe -Script $Probe -Scenario $scenario
        $mps = $result.data.services | Where-Object name -eq 'MpsSvc'
        $mps.state | Should -Be 'Stopped'
        $mps.startMode | Should -Be 'Disabled'
    }

    It 'turns a firewall read that is denied into an access-denied envelope' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{ faults = @{ 'Get-NetFirewallRule' = @{ kind = 'access-denied' } } }
        $result = Invoke-SimProbe -Script $Probe -Scenario $scenario
        $result.ok | Should -BeFalse
        $result.error.kind | Should -Be 'access-denied'
    }

    It 'falls back to the rule association when a bulk filter read misses a rule' {
        # A port filter that is missing from the -All read (as if the index were incomplete).
        $state = Initialize-SimHost -Scenario 'healthy'
        try {
            $original = Get-Command -Name Get-NetFirewallPortFilter -Module RdpHealth.Sim
            Mock -CommandName Get-NetFirewallPortFilter -ParameterFilter { $All } -MockWith { }
            Mock -CommandName Get-NetFirewallPortFilter -ParameterFilter { $null -ne $AssociatedNetFirewallRule } -MockWith {
                & $original -AssociatedNetFirewallRule $AssociatedNetFirewallRule
            }
            $json = & (Join-Path $RepoRoot "probes/$Probe")
            $result = $json | ConvertFrom-Json
            @((Get-Rule $result 'RemoteDesktop-UserMode-In-TCP').localPorts) | Should -Be @('3389')
            Should -Invoke -CommandName Get-NetFirewallPortFilter -ParameterFilter { $AssociatedNetFirewallRule.Name -like 'RemoteDesktop-*' } -Times 3 -Exactly
        } finally {
            Remove-Item -LiteralPath $state -ErrorAction SilentlyContinue
        }
    }

    It 'traces the ActiveStore: every PolicyStoreSourceType is read, which an untraced ActiveStore read leaves empty (issue 11 item 6)' {
        $result = Invoke-SimProbe -Script $Probe -Scenario 'firewall-policy-sources'
        (Get-Rule $result '{2B7A41C0-5E0D-4C1A-9F3B-1D2E3F405162}').policyStoreSourceType | Should -Be 'GroupPolicy'
        (Get-Rule $result 'MdmFirewallRule-RDP-UDP').policyStoreSourceType | Should -Be 'MDM'
        (Get-Rule $result '{7C9D1E2F-3A4B-4C5D-8E6F-708192A3B4C5}').policyStoreSourceType | Should -Be 'Dynamic'
        (Get-Rule $result 'RemoteDesktop-UserMode-In-TCP').policyStoreSourceType | Should -Be 'Local'
        $state = Initialize-SimHost -Scenario 'firewall-policy-sources'
        try {
            $untraced = @(Get-NetFirewallRule -PolicyStore ActiveStore)
            @($untraced | Where-Object { $_.PolicyStoreSourceType }).Count | Should -Be 0
            $traced = @(Get-NetFirewallRule -PolicyStore ActiveStore -TracePolicyStore)
            @($traced | ForEach-Object { [string]$_.PolicyStoreSourceType } | Sort-Object -Unique) | Should -Be @('Dynamic', 'Generated', 'GroupPolicy', 'Hardcoded', 'Local', 'MDM')
            ($traced | Where-Object Name -eq '{2B7A41C0-5E0D-4C1A-9F3B-1D2E3F405162}').PolicyStoreSource | Should -Be 'corp.example.com\Server Baseline'
            @(Get-NetFirewallRule -PolicyStore StaticServiceStore).Name | Should -Be @('WSH-Hardcoded-Block-137')
            @(Get-NetFirewallRule | ForEach-Object { [string]$_.PolicyStoreSourceType } | Sort-Object -Unique) | Should -Be @('Local')
        } finally {
            Remove-Item -LiteralPath $state -ErrorAction SilentlyContinue
        }
    }
}
