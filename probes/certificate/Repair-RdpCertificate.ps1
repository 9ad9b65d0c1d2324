#Requires -Version 5.1
<#
.SYNOPSIS
Lets Windows make a new self-signed Remote Desktop certificate: deletes the expired (or soon expiring)
self-signed certificates in the store WinStations\SelfSignedCertStore names (Cert:\LocalMachine\Remote
Desktop when it names none) and restarts the Remote Desktop Configuration service (SessionEnv), which
creates and binds a new one there.

.DESCRIPTION
A fix on ../common/RdpHealth.Fix.psm1 (see FIX-FRAMEWORK.md), shaped like ../nla/Repair-RdpNla.ps1;
RDP-FACTS.md section 1. Only for a self-signed binding (Win32_TSGeneralSetting
SSLCertificateSHA1HashType 1). It changes nothing and says why when:
- the listener uses a group policy template (type 2) or custom (type 3) certificate: those are
  renewed by whoever issued them, never deleted here;
- this computer is an RD Connection Broker (the Tssdis service exists): its certificates belong to
  the deployment (Set-RDCertificate), and its binding is never cleared;
- SessionEnv or CryptSvc is disabled (or missing): Windows would not make a new certificate. Microsoft's
  renewal is "delete the certificate, restart SessionEnv" (troubleshoot-rdp-internal-error.md); nothing
  documents a need for CertPropSvc or KeyIso, and Restart-Service starts a stopped SessionEnv;
- the store's registry key (HKLM\SOFTWARE\Microsoft\SystemCertificates\<store>\Certificates) denies
  CreateSubKey to SYSTEM or a group in SessionEnv's token (a hardening pattern): Windows could not add
  the new certificate, so deleting the old one would leave Remote Desktop without any.
Every self-signed certificate in that store that is in -Scope is deleted (a loop: there
may be several), the bound one last, then SessionEnv is restarted (not TermService: sessions stay).
The script then re-reads the binding until a NEW thumbprint is bound and its certificate is valid,
for up to -WaitSeconds; otherwise everything is rolled back. Nothing to do when the bound certificate
is not in -Scope. Deleted certificates are kept in the undo record (public part only): undo and a
rollback import them again and link them to their private key, which works until Windows has put a
new key into the same container - after a successful renewal undo says the old one cannot come back.

.PARAMETER Action
RenewSelfSigned (the only action).

.PARAMETER Scope
Expired: only certificates past their NotAfter. ExpiringOrExpired: also those that expire within
-WithinDays (the agent offers this fix when the certificate is inside its warning window).

.PARAMETER WithinDays
With -Scope ExpiringOrExpired: how many days ahead counts as expiring (1-365, default 30, the
widest warning the agent has by default).

.PARAMETER WaitSeconds
How long to wait for Windows to bind the new certificate after the restart (0-300, default 30).

.PARAMETER RecordId
The id of this run's result and undo record (the agent chooses it; one is made up when absent).

.OUTPUTS
System.String. Under -WhatIf one "RDPHEALTH:PLANNED {json}" line per change; always one
"RDPHEALTH:RESULT {json}" line (see RdpHealth.Fix.psm1, Invoke-RdpFix) with details oldThumbprint,
deleted and (when applied) newThumbprint, newNotAfter. Also written to <fix folder>\<RecordId>.result.json.
Exit code: 0 ok, 1 failed (restored), 3 restore incomplete.

.EXAMPLE
.\Repair-RdpCertificate.ps1 -Action RenewSelfSigned -Scope ExpiringOrExpired -WhatIf
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)][ValidateSet('RenewSelfSigned')][string]$Action,
    [ValidateSet('Expired', 'ExpiringOrExpired')][string]$Scope = 'Expired',
    [ValidateRange(1, 365)][int]$WithinDays = 30,
    [ValidateRange(0, 300)][int]$WaitSeconds = 30,
    [ValidatePattern('^[0-9]{8}T[0-9]{6}Z-[a-z0-9-]+_[a-z0-9-]+-[0-9a-f]{8}$')][string]$RecordId
)

# Elevated with the user's environment: the system module folders only, before any import.
. "$PSScriptRoot\..\common\Use-RdpSystemModulePath.ps1"
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../common/RdpHealth.Common.psm1')
Import-Module (Join-Path $PSScriptRoot '../common/RdpHealth.Fix.psm1')
Import-Module (Join-Path $PSScriptRoot '../common/RdpHealth.FixCertificate.psm1')
Import-Module (Join-Path $PSScriptRoot 'RdpHealth.Certificate.psm1')

# The self-signed certificate's store: WinStations\SelfSignedCertStore (set from the binding below).
$script:Store = 'Remote Desktop'
# Disabled, these stop Windows making the certificate (SessionEnv makes it, CryptSvc stores it).
$script:RenewalServices = @('SessionEnv', 'CryptSvc')
# The RD Connection Broker service: present only on a broker.
$script:BrokerService = 'Tssdis'
$script:BindingTypeNames = @{ 2 = 'a group policy certificate template (type 2)'; 3 = 'a custom certificate (type 3)' }

function Test-RdpSelfSigned {
    <#
    .SYNOPSIS
    True when a certificate's subject is its issuer.
    .OUTPUTS
    System.Boolean
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)]$Certificate)
    [string]$Certificate.Subject -eq [string]$Certificate.Issuer
}

function Get-RdpRenewedBinding {
    <#
    .SYNOPSIS
    Re-reads the binding after the restart: is a new, valid, self-signed certificate with its key bound?
    .OUTPUTS
    PSCustomObject with Ok, Thumbprint, NotAfter and Message (what was read).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][AllowEmptyCollection()][string[]]$Old)
    $binding = Get-RdpCertificateBinding
    $thumbprint = $binding.BoundThumbprint
    $result = [PSCustomObject]@{ Ok = $false; Thumbprint = $thumbprint; NotAfter = $null; Message = '' }
    if ($null -eq $thumbprint -or $Old -contains $thumbprint) {
        $result.Message = "the listener is still bound to $thumbprint (type $($binding.BindingType)): Windows did not bind a new certificate."
        return $result
    }
    $found = (Find-RdpBoundCertificate -Binding $binding).Found
    if ($null -eq $found -or $found.Store -ne $script:Store) {
        $result.Message = "the new thumbprint $thumbprint is not in Cert:\LocalMachine\$script:Store."
        return $result
    }
    $certificate = $found.Certificate
    $now = Get-Date
    $result.NotAfter = ConvertTo-RdpIsoDate -Date $certificate.NotAfter
    $valid = $certificate.NotBefore -le $now.AddMinutes(5) -and $certificate.NotAfter -gt $now
    $result.Ok = ($binding.BindingType -eq 1 -and $valid -and [bool]$certificate.HasPrivateKey -and (Test-RdpSelfSigned -Certificate $certificate))
    $result.Message = "new certificate $thumbprint (type $($binding.BindingType)), valid $(ConvertTo-RdpIsoDate -Date $certificate.NotBefore) to $($result.NotAfter), private key $([bool]$certificate.HasPrivateKey), subject $($certificate.Subject), issuer $($certificate.Issuer)."
    $result
}

$fix = Start-RdpFix -FixId 'certificate.renew-self-signed' -Cmdlet $PSCmdlet -RecordId $RecordId

Invoke-RdpFix -Fix $fix -Body {
    $now = Get-Date
    $limit = $now
    if ($Scope -eq 'ExpiringOrExpired') { $limit = $now.AddDays($WithinDays) }

    $binding = Get-RdpCertificateBinding
    if ($binding.BindingType -ne 1) {
        $kind = 'no known binding type'
        if ($null -ne $binding.BindingType -and $script:BindingTypeNames.ContainsKey([int]$binding.BindingType)) { $kind = $script:BindingTypeNames[[int]$binding.BindingType] }
        throw (New-RdpProbeError -Kind 'unsupported' -Message "Remote Desktop uses $kind, not the self-signed certificate Windows makes: only its issuer can renew it, so nothing was changed.")
    }
    $script:Store = $binding.SelfSignedStore
    $broker = @(Get-RdpServiceState -Name $script:BrokerService)[0]
    if ($broker.Present) {
        throw (New-RdpProbeError -Kind 'unsupported' -Message 'This computer is an RD Connection Broker: its certificates belong to the Remote Desktop deployment (Set-RDCertificate), so nothing was changed.')
    }

    $store = Get-RdpStoreCertificate -Store $script:Store
    $bound = $null
    $due = @()
    foreach ($certificate in @($store.Certificates)) {
        $thumbprint = ConvertTo-RdpThumbprint ([string]$certificate.Thumbprint)
        if ($thumbprint -eq $binding.BoundThumbprint) { $bound = $certificate }
        if ((Test-RdpSelfSigned -Certificate $certificate) -and $certificate.NotAfter -lt $limit) { $due += $certificate }
    }
    if ($null -ne $bound -and -not (Test-RdpSelfSigned -Certificate $bound)) {
        throw (New-RdpProbeError -Kind 'unsupported' -Message "The bound certificate $($binding.BoundThumbprint) is not self-signed although Windows reports type 1: nothing was changed.")
    }
    # Nothing to renew while the bound certificate is present and outside the scope.
    if ($null -ne $bound -and $due -notcontains $bound) { return }

    $services = @(Get-RdpServiceState -Name $script:RenewalServices)
    $blocked = @($services | Where-Object { -not $_.Present -or $_.StartMode -eq 'Disabled' } | ForEach-Object { $_.Name })
    if ($blocked.Count -gt 0) {
        throw (New-RdpProbeError -Kind 'error' -Message "Windows makes a new self-signed certificate through SessionEnv and CryptSvc, and $($blocked -join ' and ') $(if ($blocked.Count -eq 1) { 'is' } else { 'are' }) disabled or missing: enable $(if ($blocked.Count -eq 1) { 'it' } else { 'them' }) first. Nothing was changed.")
    }
    $denial = Get-RdpStoreCreateDenial -Store $script:Store
    if ($null -ne $denial.Message) {
        throw (New-RdpProbeError -Kind 'error' -Message "Windows could not make a new self-signed certificate: $($denial.Message) Deleting the old certificate would leave Remote Desktop without one, so nothing was changed. Remove that entry (or renew the certificate another way) first.")
    }
    if ($null -ne $denial.Error) { Add-RdpFixNote -Fix $fix -Message "The permissions of $($denial.Key) could not be read ($($denial.Error)): if Windows cannot add the new certificate, everything is put back." }
    $sessionEnv = @($services | Where-Object { $_.Name -eq 'SessionEnv' })[0]
    if ($sessionEnv.State -ne 'Running') { Add-RdpFixNote -Fix $fix -Message 'The Remote Desktop Configuration service (SessionEnv) is stopped: restarting it starts it.' }

    # The bound certificate goes last: if a deletion fails, the listener still has what it had.
    $ordered = @($due | Where-Object { $_ -ne $bound } | Sort-Object -Property NotAfter) + @($due | Where-Object { $_ -eq $bound })
    $old = @($ordered | ForEach-Object { ConvertTo-RdpThumbprint ([string]$_.Thumbprint) })
    if ($null -ne $binding.BoundThumbprint) { $old += $binding.BoundThumbprint }
    Set-RdpFixDetail -Fix $fix -Name 'oldThumbprint' -Value $binding.BoundThumbprint
    Set-RdpFixDetail -Fix $fix -Name 'deleted' -Value @($ordered | ForEach-Object { ConvertTo-RdpThumbprint ([string]$_.Thumbprint) })
    if ($null -eq $bound) {
        Add-RdpFixNote -Fix $fix -Message "The certificate Remote Desktop is bound to ($($binding.BoundThumbprint)) is missing from the $script:Store store: restarting the Remote Desktop Configuration service makes Windows create one."
    }
    Add-RdpFixNote -Fix $fix -Message 'Remote Desktop clients that trusted the old certificate will ask once whether to trust the new one. Open sessions are not interrupted.'

    foreach ($certificate in $ordered) {
        $thumbprint = ConvertTo-RdpThumbprint ([string]$certificate.Thumbprint)
        $date = $certificate.NotAfter.ToString('yyyy-MM-dd', [System.Globalization.CultureInfo]::InvariantCulture)
        $when = "expires on $date"
        if ($certificate.NotAfter -lt $now) { $when = "expired on $date" }
        $role = 'an old self-signed certificate'
        if ($certificate -eq $bound) { $role = 'the certificate Remote Desktop uses' }
        $undo = New-RdpCertificateUndo -Store $script:Store -Thumbprint $thumbprint
        Invoke-RdpFixStep -Fix $fix -Target "Certificate $thumbprint ($($certificate.Subject)) in Cert:\LocalMachine\$script:Store" `
            -Action "Delete $role, which $when" -Undo $undo -Change {
            Remove-Item -LiteralPath "Cert:\LocalMachine\$script:Store\$thumbprint"
        }
    }

    $undo = New-RdpServiceUndo -Name 'SessionEnv'
    Invoke-RdpFixStep -Fix $fix -Target 'Remote Desktop Configuration (SessionEnv)' `
        -Action 'Restart the service, so that Windows makes and binds a new self-signed certificate' -Undo $undo -Change {
        Restart-Service -Name 'SessionEnv'
    }
    if ($fix.WhatIf) { return }

    # Windows makes the certificate when the service starts; give it a moment on a slow host.
    $deadline = (Get-Date).AddSeconds($WaitSeconds)
    $after = Get-RdpRenewedBinding -Old $old
    while (-not $after.Ok -and (Get-Date) -lt $deadline) {
        Start-Sleep -Seconds 1
        $after = Get-RdpRenewedBinding -Old $old
    }
    if ($after.Ok) {
        Set-RdpFixDetail -Fix $fix -Name 'newThumbprint' -Value $after.Thumbprint
        Set-RdpFixDetail -Fix $fix -Name 'newNotAfter' -Value $after.NotAfter
    }
    Assert-RdpFixVerified -Fix $fix -Condition $after.Ok -Message $after.Message
}
exit $fix.ExitCode
