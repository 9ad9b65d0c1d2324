# Runs every Pester test under test/pester with the Pester that `npm run setup` restored into .tools/.
# Exit code: the number of failed tests (0 = all passed).
# Suites tagged RealHost or Installer change and read a real Windows host: they run only when
# RDPHEALTH_PESTER_TAG names them (the Windows workflow does, on disposable runners). Elsewhere
# they are discovered and listed as not applicable, never counted as passed.
$ErrorActionPreference = 'Stop'
$root = Resolve-Path (Join-Path $PSScriptRoot '../..')
$pester = Get-ChildItem -Path (Join-Path $root '.tools/pester/pester') -Filter 'Pester.psd1' -Recurse | Select-Object -First 1
if ($null -eq $pester) { throw 'Pester is not installed in .tools/pester: run npm run setup first.' }
Import-Module $pester.FullName -Force

$windowsOnlyTags = @('RealHost', 'Installer')
$selectedTags = @("$env:RDPHEALTH_PESTER_TAG" -split ',' | ForEach-Object { $_.Trim() } | Where-Object { $_ })
$paths = if ($args.Count -gt 0) { $args } else { @($PSScriptRoot) }

$configuration = New-PesterConfiguration
$configuration.Run.Path = $paths
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Normal'
$configuration.TestResult.Enabled = [bool]$env:RDPHEALTH_PESTER_RESULTS
if ($env:RDPHEALTH_PESTER_RESULTS) {
    # The Windows workflow keeps a JUnit report of each real-host run as an artifact.
    $configuration.TestResult.OutputFormat = 'JUnitXml'
    $configuration.TestResult.OutputPath = $env:RDPHEALTH_PESTER_RESULTS
}
if ($selectedTags.Count -gt 0) {
    if (-not $IsWindows -and $PSVersionTable.PSEdition -eq 'Core') { throw "RDPHEALTH_PESTER_TAG=$env:RDPHEALTH_PESTER_TAG selects Windows-only suites; this is $([Environment]::OSVersion.Platform)." }
    $configuration.Filter.Tag = $selectedTags
} else {
    $configuration.Filter.ExcludeTag = $windowsOnlyTags
}
$result = Invoke-Pester -Configuration $configuration
if ($result.TotalCount -eq 0) { Write-Error 'No Pester tests ran.'; exit 1 }
$failed = $result.FailedCount + $result.FailedContainersCount + $result.FailedBlocksCount
Write-Host "Pester: $($result.PassedCount) passed, $failed failed"

if ($selectedTags.Count -eq 0) {
    # List what was left out, and why, so a green run here never reads as "passed on Windows".
    $discovery = New-PesterConfiguration
    $discovery.Run.Path = $paths
    $discovery.Run.SkipRun = $true
    $discovery.Run.PassThru = $true
    $discovery.Output.Verbosity = 'None'
    $discovery.Filter.Tag = $windowsOnlyTags
    # Discovery lists every test; keep those tagged (on themselves or a block above) Windows-only.
    $left = @((Invoke-Pester -Configuration $discovery).Tests | Where-Object {
            $tags = @($_.Tag)
            for ($block = $_.Block; $null -ne $block -and -not $block.IsRoot; $block = $block.Parent) { $tags += $block.Tag }
            @($tags | Where-Object { $windowsOnlyTags -contains $_ }).Count -gt 0
        })
    if ($left.Count -gt 0) {
        $why = if ($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') { 'not selected (RDPHEALTH_PESTER_TAG=RealHost or Installer, on a disposable Windows runner)' } else { 'not applicable here: they need a real Windows host (the Windows workflow runs them)' }
        Write-Host "Pester: $($left.Count) Windows-only tests $why"
        foreach ($test in $left) {
            $names = @($test.ExpandedName); $tags = @($test.Tag)
            for ($block = $test.Block; $null -ne $block -and -not $block.IsRoot; $block = $block.Parent) { $names = @($block.ExpandedName) + $names; $tags += $block.Tag }
            Write-Host "  - [$(($tags | Where-Object { $_ } | Select-Object -Unique) -join ',')] $($names -join ' > ')"
        }
    }
}
exit $failed
