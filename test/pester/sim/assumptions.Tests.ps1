# scripts/Test-RdpHealthAssumptions.ps1 against the simulated host: the same logic a real host runs,
# with the identity and the refusals the scenario gives. Its TLS 1.3 attempt goes to a free port on
# 127.0.0.1 (nothing listens): 'not tested'.
BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    $script:Assumptions = Join-Path $script:RepoRoot 'scripts/Test-RdpHealthAssumptions.ps1'
    function Get-FreePort {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop(); $port
    }
    function Invoke-Assumptions([string]$Scenario) {
        $state = Initialize-SimHost -Scenario $Scenario
        try {
            $out = Join-Path $TestDrive "assumptions-$([guid]::NewGuid().ToString('N')).json"
            $null = & $script:Assumptions -OutFile $out -Port (Get-FreePort) 6>$null
            $report = Get-Content -LiteralPath $out -Raw | ConvertFrom-Json
            $byCheck = @{}
            foreach ($row in $report.results) { $byCheck[$row.check] = $row }
            [PSCustomObject]@{ Report = $report; Check = $byCheck }
        } finally { Remove-Item -LiteralPath $state -ErrorAction SilentlyContinue }
    }
}

Describe 'Test-RdpHealthAssumptions.ps1' {
    It 'on a healthy host, as a standard user: a verdict for every check, written as JSON' {
        $run = Invoke-Assumptions (New-SimScenarioFile -Extends 'healthy' -Patch @{ host = @{ identity = 'standard-user' } })
        $run.Report.identity.elevated | Should -BeFalse
        @($run.Report.results.check) | Should -Be @('identity', 'wmi-terminalservices', 'remote-desktop-store', 'policy-store-source-type', 'elevated-file-owner', 'renewal-services', 'self-signed-binding', 'qwinsta-columns', 'termservice-service-sid', 'tls13-handshake')
        @($run.Report.results | Where-Object { $_.verdict -notin @('holds', 'differs', 'unknown') }).Count | Should -Be 0
        $run.Check['wmi-terminalservices'].observed | Should -Match '^readable \(1 RDP-Tcp instance, SSLCertificateSHA1HashType 1\)'
        $run.Check['wmi-terminalservices'].verdict | Should -Be 'differs'
        $run.Check['remote-desktop-store'].observed | Should -Match 'readable, 1 certificate'
        $run.Check['policy-store-source-type'].verdict | Should -Be 'holds'
        $run.Check['policy-store-source-type'].observed | Should -Match "untraced: ''.*traced: 'Local'"
        $run.Check['renewal-services'].observed | Should -Be 'SessionEnv: Running (Manual); CertPropSvc: Running (Manual); KeyIso: Running (Manual); CryptSvc: Running (Auto)'
        $run.Check['qwinsta-columns'].verdict | Should -Be 'holds'
        $run.Check['tls13-handshake'].observed | Should -Match '^not tested: '
    }

    It 'reports a refused TerminalServices namespace and store as denied, elevated' {
        $scenario = New-SimScenarioFile -Extends 'healthy' -Patch @{
            host   = @{ identity = 'elevated-admin' }
            faults = @{ 'Get-CimInstance:Win32_TSGeneralSetting' = @{ kind = 'access-denied' }; 'Get-ChildItem' = @{ kind = 'access-denied' } }
        }
        $run = Invoke-Assumptions $scenario
        $run.Report.identity.elevated | Should -BeTrue
        $run.Check['wmi-terminalservices'].observed | Should -Match '^denied'
        $run.Check['wmi-terminalservices'].verdict | Should -Be 'holds'
        $run.Check['remote-desktop-store'].observed | Should -Match 'Cert: provider: denied'
    }

    It 'reads qwinsta by column position on a German host' {
        $run = Invoke-Assumptions 'german-host'
        $run.Check['qwinsta-columns'].verdict | Should -Be 'holds'
        $run.Check['qwinsta-columns'].observed | Should -Match 'SITZUNGSNAME'
    }
}

Describe 'Every shadow says what it follows' {
    It '<_> starts with a "# Follows:" line' -ForEach @(Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot '../../../sim/shadows') -Filter '*.ps1' | ForEach-Object Name) {
        (Get-Content -LiteralPath (Join-Path $PSScriptRoot "../../../sim/shadows/$_") -TotalCount 1) | Should -Match '^# Follows: \S.{20,}'
    }
}
