# The simulated Get-TlsCipherSuite keeps the real cmdlet's name, -Name parameter and output properties.
BeforeAll { . (Join-Path $PSScriptRoot '../SimHost.ps1') }

Describe 'Get-TlsCipherSuite (simulated)' {
    AfterEach { if ($script:State) { Remove-Item -LiteralPath $script:State -ErrorAction SilentlyContinue } }

    It 'returns the scenario suites in order with the real property names' {
        $script:State = Initialize-SimHost -Scenario 'healthy'
        $suites = @(Get-TlsCipherSuite)
        $suites.Count | Should -Be 5
        $suites[0].Name | Should -Be 'TLS_AES_256_GCM_SHA384'
        @($suites[0].Protocols) | Should -Be @(772)
        $suites[0].Protocols.GetType() | Should -Be ([uint32[]])
        foreach ($property in 'KeyType', 'Certificate', 'MaximumExchangeLength', 'MinimumExchangeLength', 'Exchange', 'HashLength', 'Hash', 'CipherBlockLength', 'CipherLength', 'BaseCipherSuite', 'CipherSuite', 'Cipher', 'Name', 'Protocols') {
            $suites[0].PSObject.Properties.Name | Should -Contain $property
        }
    }

    It 'matches part of the name with -Name' {
        $script:State = Initialize-SimHost -Scenario 'healthy'
        @(Get-TlsCipherSuite -Name 'ECDHE').Count | Should -Be 3
        @(Get-TlsCipherSuite 'aes_128').Name | Should -Be @('TLS_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256')
    }

    It 'is "not recognized" (CommandNotFoundException) where the scenario has no TLS module' {
        $script:State = Initialize-SimHost -Scenario (New-SimScenarioFile -Extends 'healthy' -Patch @{ tls = @{ cipherSuites = $null } })
        { Get-TlsCipherSuite } | Should -Throw -ExceptionType ([System.Management.Automation.CommandNotFoundException])
    }
}
