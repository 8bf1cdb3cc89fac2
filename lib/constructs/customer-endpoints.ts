/**
 * What customers reach from an email: the signed-link pages (unsubscribe, preferences, feedback) behind a
 * Lambda function URL, and the HMAC keys that sign and verify those links.
 */
import { CfnOutput, Fn, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ENV } from '../../functions/domain/names.js';

/** Key id of the generated link key; the secret holds `{ "current": "k1", "k1": "<64 chars>" }`. */
export const INITIAL_LINK_KEY_ID = 'k1';

export interface CustomerEndpointsProps {
  /**
   * The customer-http function. Its reserved concurrency (set on the function) is the throttle. It verifies
   * the links, so it needs `grantLinkKeys` like every signer; the stack grants it from its table of grants.
   */
  readonly handler: lambda.Function;
}

export class CustomerEndpoints extends Construct {
  public readonly functionUrl: lambda.FunctionUrl;
  public readonly linkKeys: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: CustomerEndpointsProps) {
    super(scope, id);
    this.linkKeys = new secretsmanager.Secret(this, 'LinkKeys', {
      description: 'HMAC keys for signed links in Reciprocity emails (current key id + keys by id)',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ current: INITIAL_LINK_KEY_ID }),
        generateStringKey: INITIAL_LINK_KEY_ID,
        // 64 alphanumerics are valid base64 for 48 random bytes, more than HMAC-SHA256 needs.
        passwordLength: 64,
        excludePunctuation: true,
        includeSpace: false,
      },
    });
    Validations.of(this.linkKeys).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Link keys rotate by adding a key id and switching "current" (old links keep verifying until they expire); a Secrets Manager rotation Lambda would break every link already sent.',
    });

    this.functionUrl = props.handler.addFunctionUrl({
      // Links in emails are opened by anyone holding them (and by mail scanners): each URL carries an HMAC
      // token verified in the handler, so IAM auth is not possible and not needed.
      authType: lambda.FunctionUrlAuthType.NONE,
    });
    new CfnOutput(this, 'Url', {
      value: this.functionUrl.url,
      description: 'Customer endpoint (signed links)',
    });
  }

  /** `https://host` of the function URL, without the trailing slash the URL attribute carries. */
  get baseUrl(): string {
    return `https://${Fn.select(2, Fn.split('/', this.functionUrl.url))}`;
  }

  /**
   * Lets `fn` read the link keys and sets LINK_KEYS_PARAMETER to the secret's ARN (the handlers' deps.ts
   * passes it as SecretId to GetSecretValue; the flat `{ current, k1 }` shape is what parseLinkKeys accepts).
   */
  grantLinkKeys(fn: lambda.Function): void {
    this.linkKeys.grantRead(fn);
    fn.addEnvironment(ENV.linkKeysParameter, this.linkKeys.secretArn);
  }
}
