# Runs every Pester test under test/pester with the Pester that `npm run setup` restored into .tools/.
# Exit code: the number of failed tests (0 = all passed).
$ErrorActionPreference = 'Stop'
$root = Resolve-Path (Join-Path $PSScriptRoot '../..')
$pester = Get-ChildItem -Path (Join-Path $root '.tools/pester/pester') -Filter 'Pester.psd1' -Recurse | Select-Object -First 1
if ($null -eq $pester) { throw 'Pester is not installed in .tools/pester: run npm run setup first.' }
Import-Module $pester.FullName -Force

$configuration = New-PesterConfiguration
$configuration.Run.Path = $PSScriptRoot
if ($args.Count -gt 0) { $configuration.Run.Path = $args }
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Normal'
$configuration.TestResult.Enabled = $false
$result = Invoke-Pester -Configuration $configuration
if ($result.TotalCount -eq 0) { Write-Error 'No Pester tests ran.'; exit 1 }
$failed = $result.FailedCount + $result.FailedContainersCount + $result.FailedBlocksCount
Write-Host "Pester: $($result.PassedCount) passed, $failed failed"
exit $failed
