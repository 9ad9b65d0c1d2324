# Follows: Microsoft Learn Get-TlsCipherSuite (TLS module) and the TlsCipherSuite object it returns on Windows Server 2022.
# TLS module shadow: Get-TlsCipherSuite returns the scenario's `tls.cipherSuites` list, in order:
#   "tls": { "cipherSuites": [ { "Name": "TLS_AES_256_GCM_SHA384", "Protocols": [772] }, ... ] }
# Each entry may carry any of the real output properties (KeyType, Certificate,
# MaximumExchangeLength, MinimumExchangeLength, Exchange, HashLength, Hash, CipherBlockLength,
# CipherLength, BaseCipherSuite, CipherSuite, Cipher, Name, Protocols); missing ones are $null.
# Protocols are the TLS wire versions: 769 TLS 1.0, 770 TLS 1.1, 771 TLS 1.2, 772 TLS 1.3.
# No `tls.cipherSuites` key = a Windows without the TLS module: the command is "not recognized".

$script:SimTlsCipherSuiteProperties = @(
    'KeyType', 'Certificate', 'MaximumExchangeLength', 'MinimumExchangeLength', 'Exchange', 'HashLength', 'Hash',
    'CipherBlockLength', 'CipherLength', 'BaseCipherSuite', 'CipherSuite', 'Cipher', 'Name', 'Protocols'
)

function Get-TlsCipherSuite {
    [CmdletBinding()]
    param([Parameter(Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)][string]$Name)
    process {
        Invoke-SimFault -Command 'Get-TlsCipherSuite'
        $tls = Get-SimSection -Key 'tls'
        if ($tls -isnot [System.Collections.IDictionary] -or -not $tls.Contains('cipherSuites')) {
            $exception = [System.Management.Automation.CommandNotFoundException]::new(
                "The term 'Get-TlsCipherSuite' is not recognized as the name of a cmdlet, function, script file, or operable program. (simulated: no TLS module)")
            $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new($exception, 'CommandNotFoundException', 'ObjectNotFound', 'Get-TlsCipherSuite'))
        }
        # A null entry (an empty list can arrive as $null after a scenario merge) is no suite.
        foreach ($suite in @($tls['cipherSuites'] | Where-Object { $null -ne $_ })) {
            # -Name matches a part of the name, as the real cmdlet does.
            if ($Name -and ([string]$suite['Name']).IndexOf($Name, [System.StringComparison]::OrdinalIgnoreCase) -lt 0) { continue }
            $properties = [ordered]@{}
            foreach ($property in $script:SimTlsCipherSuiteProperties) {
                $properties[$property] = if ($suite.Contains($property)) { $suite[$property] } else { $null }
            }
            $properties['Protocols'] = [uint32[]]@(@($properties['Protocols']) | Where-Object { $null -ne $_ })
            $object = [PSCustomObject]$properties
            $object.PSObject.TypeNames.Insert(0, 'Microsoft.TLS.Commands.TlsCipherSuite')
            $object
        }
    }
}
