# The simulated network and process view: Get-NetTCPConnection, a netstat that prints what a
# localized Windows prints, and Get-Process over the scenario's processes and sessions.
BeforeAll { . (Join-Path $PSScriptRoot '../SimHost.ps1') }

Describe 'Network shadows' {
    AfterEach { if ($script:State) { Remove-Item -LiteralPath $script:State -ErrorAction SilentlyContinue } }

    It 'Get-NetTCPConnection filters by state and port and reports no match as ObjectNotFound' {
        $script:State = Initialize-SimHost -Scenario 'healthy'
        $listen = @(Get-NetTCPConnection -State Listen -LocalPort 3389)
        $listen.Count | Should -Be 2
        $listen[0].OwningProcess | Should -Be 1180
        $listen[0].State | Should -Be 'Listen'
        @(Get-NetTCPConnection -State Established -LocalPort 3389)[0].RemoteAddress | Should -Be '10.0.0.9'
        $failure = $null
        try { Get-NetTCPConnection -State Listen -LocalPort 3391 -ErrorAction Stop } catch { $failure = $_ }
        $failure.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'Get-NetTCPConnection throws CommandNotFoundException on a host without it' {
        $script:State = Initialize-SimHost -Scenario 'german-host'
        $failure = $null
        try { Get-NetTCPConnection -State Listen } catch { $failure = $_ }
        $failure.Exception | Should -BeOfType ([System.Management.Automation.CommandNotFoundException])
    }

    It 'netstat -ano -p TCP prints the English columns, IPv4 rows only, listening rows included' {
        $script:State = Initialize-SimHost -Scenario 'healthy'
        $lines = @(netstat -ano -p TCP)
        $lines[1] | Should -Be 'Active Connections'
        $lines[3] | Should -Be '  Proto  Local Address          Foreign Address        State           PID'
        $lines | Should -Contain '  TCP    0.0.0.0:3389           0.0.0.0:0              LISTENING       1180'
        $lines | Should -Contain '  TCP    10.0.0.4:3389          10.0.0.9:51234         ESTABLISHED     1180'
        ($lines -join "`n") | Should -Not -Match '\[::\]'
        @(netstat -ano -p TCPv6) | Should -Contain '  TCP    [::]:3389              [::]:0                 LISTENING       1180'
        # Without -a there are no listening rows, without -o no PID column.
        (@(netstat -n -p TCP) -join "`n") | Should -Not -Match 'LISTENING'
    }

    It 'netstat prints German words, mangled as a UTF-8 console decodes the OEM code page' {
        $script:State = Initialize-SimHost -Scenario 'german-host'
        $saved = [Console]::OutputEncoding
        try {
            [Console]::OutputEncoding = [System.Text.UTF8Encoding]::new($false)
            $lines = @(netstat -ano -p TCP)
            $lines[1] | Should -Be 'Aktive Verbindungen'
            $lines | Should -Contain "  TCP    0.0.0.0:3389           0.0.0.0:0              ABH$([char]0xFFFD)REN         1180"
            $lines | Should -Contain '  TCP    10.0.0.4:3389          10.0.0.9:51234         HERGESTELLT     1180'
        } finally {
            [Console]::OutputEncoding = $saved
        }
    }

    It 'Get-Process -Id names processes and errors on an unknown id; sessions get winlogon and explorer' {
        $script:State = Initialize-SimHost -Scenario 'port-held-by-other-process'
        (Get-Process -Id 5120).ProcessName | Should -Be 'nginx'
        { Get-Process -Id 99999 -ErrorAction Stop } | Should -Throw '*99999*'
        Remove-Item -LiteralPath $script:State
        $script:State = Initialize-SimHost -Scenario 'healthy' -Identity 'uac-admin'
        @(Get-Process -Name 'winlogon').SessionId | Should -Be @(2)
        @(Get-Process -Name 'explorer').SessionId | Should -Be @(2)
        { Get-Process -Name 'explorer' -IncludeUserName } | Should -Throw '*elevated*'
    }

    It 'Get-Process -IncludeUserName works elevated' {
        $script:State = Initialize-SimHost -Scenario 'healthy' -Identity 'standard-user'
        $env:RDP_HEALTH_SIM_ELEVATED = '1'
        try {
            (Get-Process -Name 'explorer' -IncludeUserName).UserName | Should -Be 'CORP\alice'
        } finally {
            Remove-Item Env:RDP_HEALTH_SIM_ELEVATED
        }
    }
}
