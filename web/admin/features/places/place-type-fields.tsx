import { useEffect, useState } from 'react';
import { Button, Card, Col, Form, Input, InputNumber, Modal, Row, Select, Space, Typography } from 'antd';
import { AimOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { accessModes, type CoordinateSystem, type PlaceType } from '@contracts/places';
import { labelOf } from '../../shared/format';
import { typeSections } from './place-rules';
import { isPoint, round7, toWgs84, type LonLat } from './coordinates';
import { LocationPicker } from './location-picker';

/** A compound gate as the form holds it (WGS-84). */
export interface GateValues {
  name?: string;
  lon?: number;
  lat?: number;
  hours?: string;
}

/** The parts of the place form that only some types have: access and gates, elevator, charging, seats, offers. */
export function TypeFields({ type }: { type: PlaceType | undefined }) {
  const { t } = useTranslation();
  if (!type) return null;
  const any = Object.values(typeSections).some((f) => f(type));
  if (!any) return null;
  return (
    <>
      <Typography.Title level={5}>{t('places.form.typeSection', { type: labelOf('placeTypes', type) })}</Typography.Title>
      {typeSections.access(type) && (
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name={['access', 'mode']} label={t('places.fields.accessMode')} dependencies={[['access', 'policy']]}
              rules={[
                // A compound always says how riders get in; a building only when it states a policy.
                ({ getFieldValue }) => ({
                  required: type === 'compound',
                  validator: (_, v: string | undefined) =>
                    v || (type !== 'compound' && !String(getFieldValue(['access', 'policy']) ?? '').trim()) ? Promise.resolve() : Promise.reject(new Error(t('places.form.accessModeRequired'))),
                }),
              ]}
            >
              <Select allowClear={type !== 'compound'} options={accessModes.map((m) => ({ value: m, label: labelOf('accessModes', m) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item name={['access', 'policy']} label={t('places.fields.accessPolicy')} extra={t('places.form.accessPolicyHint')}>
              <Input.TextArea rows={2} maxLength={500} showCount />
            </Form.Item>
          </Col>
        </Row>
      )}
      {typeSections.gates(type) && <GatesList />}
      {typeSections.elevator(type) && (
        <Form.Item name={['details', 'elevator']} label={t('places.fields.elevator')} extra={t('places.form.elevatorHint')}>
          <Input maxLength={200} />
        </Form.Item>
      )}
      {typeSections.charging(type) && (
        <Row gutter={16}>
          <Col xs={24} md={6}>
            <Form.Item name={['details', 'sockets']} label={t('places.fields.sockets')}>
              <InputNumber style={{ width: '100%' }} min={0} max={10000} precision={0} />
            </Form.Item>
          </Col>
          <Col xs={24} md={9}>
            <Form.Item name={['details', 'price']} label={t('places.fields.price')}>
              <Input maxLength={100} placeholder={t('places.form.pricePlaceholder')} />
            </Form.Item>
          </Col>
          <Col xs={24} md={9}>
            <Form.Item name={['details', 'operatorName']} label={t('places.fields.operatorName')}>
              <Input maxLength={60} />
            </Form.Item>
          </Col>
        </Row>
      )}
      {typeSections.capacity(type) && (
        <Form.Item name={['details', 'capacity']} label={t('places.fields.capacity')}>
          <InputNumber style={{ width: 200 }} min={0} max={100000} precision={0} />
        </Form.Item>
      )}
      {typeSections.offers(type) && <OffersList />}
    </>
  );
}

function OffersList() {
  const { t } = useTranslation();
  return (
    <Form.Item label={t('places.fields.offers')}>
      <Form.List name={['details', 'offers']}>
        {(fields, { add, remove }) => (
          <>
            {fields.map((f, i) => (
              <Space key={f.key} align="baseline" wrap style={{ display: 'flex', marginBottom: 4 }}>
                <Form.Item name={[f.name, 'title']} rules={[{ required: true, whitespace: true, message: t('places.form.offerTitleRequired') }]} style={{ marginBottom: 8 }}>
                  <Input maxLength={60} placeholder={t('places.form.offerTitlePlaceholder')} aria-label={t('places.form.offerTitleN', { n: i + 1 })} style={{ width: 280 }} />
                </Form.Item>
                <Form.Item name={[f.name, 'priceYuan']} style={{ marginBottom: 8 }}>
                  <InputNumber min={0} max={100000} placeholder={t('places.form.offerPrice')} aria-label={t('places.form.offerPriceN', { n: i + 1 })} suffix="元" style={{ width: 140 }} />
                </Form.Item>
                <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('places.form.removeOffer', { n: i + 1 })} />
              </Space>
            ))}
            {fields.length < 20 && (
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ title: '', priceYuan: null })}>
                {t('places.form.addOffer')}
              </Button>
            )}
          </>
        )}
      </Form.List>
    </Form.Item>
  );
}

/** Gates of a compound: each with its own point (picked on a map) and hours. */
function GatesList() {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const [picking, setPicking] = useState<number>();
  const gates = (Form.useWatch('gates', form) ?? []) as GateValues[];
  const lon = Form.useWatch('lon', form);
  const lat = Form.useWatch('lat', form);
  const crs = Form.useWatch('crs', form) as CoordinateSystem | undefined;
  const placePoint = isPoint(lon, lat) ? toWgs84(lon!, lat!, crs) : undefined;
  const current = picking !== undefined ? gates[picking] : undefined;
  const [draft, setDraft] = useState<LonLat>();

  useEffect(() => {
    if (picking === undefined) return;
    setDraft(current && isPoint(current.lon, current.lat) ? { lon: current.lon!, lat: current.lat! } : placePoint);
    // Only when a gate's picker opens: later edits of the form must not move the draft point.
  }, [picking]);

  return (
    <Form.Item label={t('places.fields.gates')} extra={t('places.form.gatesHint')}>
      <Form.List name="gates">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f, i) => (
              <Card key={f.key} size="small" style={{ marginBottom: 8 }} title={t('places.form.gateN', { n: i + 1 })}
                extra={<Button type="text" danger size="small" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('places.form.removeGate', { n: i + 1 })} />}
              >
                <Row gutter={8}>
                  <Col xs={24} md={8}>
                    <Form.Item name={[f.name, 'name']} label={t('places.fields.gateName')} rules={[{ required: true, whitespace: true, message: t('places.form.gateNameRequired') }]}>
                      <Input maxLength={40} placeholder={t('places.form.gateNamePlaceholder')} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={16}>
                    <Form.Item name={[f.name, 'hours']} label={t('places.fields.hours')}>
                      <Input maxLength={200} placeholder="Mo-Su 06:00-23:00" spellCheck={false} />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={8}>
                    <Form.Item name={[f.name, 'lon']} label={t('places.fields.gateLon')} rules={[{ required: true, message: t('places.form.pointRequired') }]}>
                      <InputNumber style={{ width: '100%' }} min={-180} max={180} precision={7} />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={8}>
                    <Form.Item name={[f.name, 'lat']} label={t('places.fields.gateLat')} rules={[{ required: true, message: t('places.form.pointRequired') }]}>
                      <InputNumber style={{ width: '100%' }} min={-90} max={90} precision={7} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={8}>
                    <Form.Item label=" " colon={false}>
                      <Button icon={<AimOutlined />} onClick={() => setPicking(f.name)}>
                        {t('places.form.pickOnMap')}
                      </Button>
                    </Form.Item>
                  </Col>
                </Row>
              </Card>
            ))}
            {fields.length < 20 && (
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ name: '', hours: '' })}>
                {t('places.form.addGate')}
              </Button>
            )}
          </>
        )}
      </Form.List>
      <Modal
        open={picking !== undefined}
        title={t('places.form.pickGateTitle', { name: current?.name || t('places.form.gateN', { n: (picking ?? 0) + 1 }) })}
        okText={t('common:actions.confirm')}
        cancelText={t('common:actions.cancel')}
        okButtonProps={{ disabled: !draft }}
        onCancel={() => setPicking(undefined)}
        onOk={() => {
          if (picking !== undefined && draft) {
            form.setFieldValue(['gates', picking, 'lon'], round7(draft.lon));
            form.setFieldValue(['gates', picking, 'lat'], round7(draft.lat));
            void form.validateFields([['gates', picking, 'lon'], ['gates', picking, 'lat']]).catch(() => undefined);
          }
          setPicking(undefined);
        }}
        width={720}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('places.form.pickGateHint')}</Typography.Paragraph>
        <LocationPicker
          value={draft}
          onPick={setDraft}
          extraPoints={placePoint ? [{ ...placePoint, label: t('places.form.placePoint') }] : []}
          height={380}
          label={t('places.form.gateMapLabel')}
        />
        <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
          {draft ? `${draft.lon.toFixed(6)}, ${draft.lat.toFixed(6)} (WGS-84)` : t('places.form.noPointYet')}
        </Typography.Text>
      </Modal>
    </Form.Item>
  );
}
