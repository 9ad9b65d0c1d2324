# The shipped healthy host says what its values follow (healthy.json's _sources, issue 11), and the
# simulated host keeps such notes out of the host state.
BeforeAll {
    $script:Healthy = Join-Path $PSScriptRoot '../../../sim/scenarios/healthy.json'
    Import-Module (Join-Path $PSScriptRoot '../../../sim/RdpHealth.Sim.psm1') -Global -Force
}

Describe 'healthy.json _sources' {
    It 'names a source for every section that holds values' {
        $scenario = Get-Content -LiteralPath $script:Healthy -Raw | ConvertFrom-Json -AsHashtable
        $named = @($scenario['_sources'].Keys | Where-Object { $_ -ne '_note' }) -join ' | '
        foreach ($section in @($scenario.Keys | Where-Object { $_ -notin @('description', '_sources') })) {
            $value = $scenario[$section]
            if (($value -is [System.Collections.IDictionary] -or $value -is [array]) -and @($value).Count -eq 0) { continue }
            if ($value -is [System.Collections.IDictionary] -and $value.Count -eq 0) { continue }
            $named | Should -Match "(^|[ ,|(])$([regex]::Escape($section))([ ,|)]|$)" -Because "section $section needs a source"
        }
        foreach ($text in @($scenario['_sources'].Keys | Where-Object { $_ -ne '_note' } | ForEach-Object { $scenario['_sources'][$_] })) { $text | Should -Match '\.md|MicrosoftDocs|Microsoft Learn|RDP-FACTS|not confirmed|sample|not from|README|not Windows|source line' }
    }

    It 'is not part of the simulated host state, for healthy or a scenario that extends it' {
        foreach ($name in 'healthy', 'cert-regeneration-denied-by-acl') {
            $path = Initialize-SimHost -Scenario $name -StatePath (Join-Path $TestDrive "$name.json")
            (Get-Content -LiteralPath $path -Raw | ConvertFrom-Json -AsHashtable).Contains('_sources') | Should -BeFalse
        }
    }
}
