# The real-host contract suite's logic (test/pester/realhost), run here on simulated hosts: the
# same scripts, the same generated JSON Schemas, the same validator. The scenarios cover data
# envelopes on healthy and broken hosts and an error envelope (key-acl-unreadable: access denied).
BeforeAll {
    . (Join-Path $PSScriptRoot '../SimHost.ps1')
    . (Join-Path $PSScriptRoot 'EnvelopeContract.ps1')
}

$simulatedHosts = @{ Scenarios = @('healthy', 'cert-self-signed-expired', 'key-acl-unreadable') }

Describe 'Probe envelopes on the simulated host match the JSON Schemas made from the zod schemas' -ForEach $simulatedHosts {
    BeforeAll {
        $runs = @{}
        $folders = foreach ($scenario in $Scenarios) {
            $outDir = Join-Path $TestDrive $scenario
            New-Item -ItemType Directory -Path $outDir | Out-Null
            $state = Initialize-SimHost -Scenario $scenario
            try {
                $runs[$scenario] = @(Get-ShippedProbeScript | ForEach-Object { Invoke-ProbeForContract -Probe $_ -OutDir $outDir })
            } finally {
                Remove-Item -LiteralPath $state -ErrorAction SilentlyContinue
            }
            $outDir
        }
        $checks = Test-EnvelopeDirectory -Directory $folders
    }

    Context '<_>' -ForEach $Scenarios {
        BeforeAll { $scenario = $_ }

        It 'runs every shipped probe (the seven PowerShell probes)' {
            $runs[$scenario].Probe | Sort-Object | Should -Be @('certificate', 'firewall', 'key-access', 'listener', 'nla', 'security-layer', 'tls')
        }

        It 'writes nothing to the error stream' {
            $runs[$scenario] | Where-Object { $_.Errors.Count -gt 0 } | ForEach-Object { "$($_.Probe): $($_.Errors[0])" } | Should -BeNullOrEmpty
        }

        It 'prints envelopes that validate against their schema' {
            $results = $checks[(Join-Path $TestDrive $scenario)]
            $results.Values | Where-Object { -not $_.valid } | ForEach-Object { "$($_.probe): $($_.errors -join '; ')" } | Should -BeNullOrEmpty
            $results.Count | Should -Be 7
        }
    }

    It 'covers an error envelope (key-access on key-acl-unreadable), and it validates' {
        $envelope = Get-Content -Raw -LiteralPath (Join-Path $TestDrive 'key-acl-unreadable/key-access.json') | ConvertFrom-Json
        $envelope.ok | Should -BeFalse
        $checks[(Join-Path $TestDrive 'key-acl-unreadable')]['key-access'].valid | Should -BeTrue
    }
}

Describe 'The envelope validator refuses what the agent would refuse' {
    BeforeAll {
        $outDir = Join-Path $TestDrive 'bad'
        New-Item -ItemType Directory -Path $outDir | Out-Null
        Set-Content -LiteralPath (Join-Path $outDir 'nla.json') -Value '{"probe":"nla","schema":1,"ok":true,"data":{"effective":"on"}}'
        Set-Content -LiteralPath (Join-Path $outDir 'tls.json') -Value 'WARNING: not JSON'
        Set-Content -LiteralPath (Join-Path $outDir 'listener.json') -Value '{"probe":"nla","schema":1,"ok":false,"error":{"kind":"timeout","message":"x"}}'
        $bad = (Test-EnvelopeDirectory -Directory $outDir)[$outDir]
    }

    It 'names the field whose type is wrong' {
        $bad['nla'].valid | Should -BeFalse
        ($bad['nla'].errors -join ' ') | Should -Match '/data'
    }

    It 'refuses output that is not JSON' {
        $bad['tls'].valid | Should -BeFalse
        ($bad['tls'].errors -join ' ') | Should -Match 'not JSON'
    }

    It 'refuses an envelope that names another probe' {
        $bad['listener'].valid | Should -BeFalse
    }
}
