# Driver of scenario-round-trip.test.ts, in one pwsh: for each scenario, every probe on the scenario,
# then Export-RdpHealthScenario.ps1 on that simulated host (raw, and redacted where asked), then every
# probe on each exported file. One marked JSON line per probe run.
param([Parameter(Mandatory)][string]$Root, [Parameter(Mandatory)][string]$WorkDir)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $Root 'sim/RdpHealth.Sim.psm1') -Global -Force
$scenarios = @($env:RDP_HEALTH_ROUND_TRIP_SCENARIOS | ConvertFrom-Json)
$redacted = @($env:RDP_HEALTH_ROUND_TRIP_REDACTED | ConvertFrom-Json)
$probes = @($env:RDP_HEALTH_ROUND_TRIP_PROBES | ConvertFrom-Json)
$export = Join-Path $Root 'scripts/Export-RdpHealthScenario.ps1'

function Invoke-Probes([string]$Scenario, [string]$Side, [string]$From) {
    foreach ($probe in $probes) {
        $state = Initialize-SimHost -Scenario $From
        $record = [ordered]@{ scenario = $Scenario; side = $Side; probe = $probe.id; recordedAt = $null; stdout = $null; error = $null }
        try {
            $record.recordedAt = [datetime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [System.Globalization.CultureInfo]::InvariantCulture)
            $record.stdout = (@(& (Join-Path $Root "probes/$($probe.script)")) | ForEach-Object { [string]$_ }) -join "`n"
        } catch { $record.error = $_.Exception.Message } finally { Remove-Item -LiteralPath $state -ErrorAction SilentlyContinue }
        [Console]::Out.WriteLine('@@ROUNDTRIP ' + (ConvertTo-Json -InputObject $record -Compress -Depth 4))
    }
}

foreach ($scenario in $scenarios) {
    Invoke-Probes -Scenario $scenario -Side 'original' -From $scenario
    $sides = @('raw')
    if ($redacted -contains $scenario) { $sides += 'redacted' }
    foreach ($side in $sides) {
        $file = Join-Path $WorkDir "$([System.IO.Path]::GetFileNameWithoutExtension($scenario)).$side.json"
        $state = Initialize-SimHost -Scenario $scenario
        try { $null = & $export -OutFile $file -NoRedact:($side -eq 'raw') } finally { Remove-Item -LiteralPath $state -ErrorAction SilentlyContinue }
        Invoke-Probes -Scenario $scenario -Side $side -From $file
    }
}
