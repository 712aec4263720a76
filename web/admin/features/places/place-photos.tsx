import { useState } from 'react';
import { App, Button, Empty, Image, Popconfirm, Space, Typography, Upload } from 'antd';
import { DeleteOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { AdminPlace } from '@contracts/places';
import { errorMessage } from '@ui/i18n';
import { usePlaceMutations } from './api';

export const MAX_PHOTOS = 6;
const MAX_BYTES = 8 * 1024 * 1024;
const imageTypes = ['image/jpeg', 'image/png', 'image/webp'];

/** A place's photos: shown, added (JPEG/PNG/WebP up to 8 MB, six at most) and removed. */
export function PlacePhotos({ place, editable }: { place: AdminPlace; editable: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { uploadPhoto, deletePhoto } = usePlaceMutations();
  const [uploading, setUploading] = useState(0);
  const full = place.photos.length + uploading >= MAX_PHOTOS;

  async function upload(file: File) {
    if (!imageTypes.includes(file.type)) {
      void message.error(t('places.photos.wrongType'));
      return;
    }
    if (file.size > MAX_BYTES) {
      void message.error(t('places.photos.tooLarge'));
      return;
    }
    setUploading((n) => n + 1);
    try {
      await uploadPhoto.mutateAsync({ id: place.id, file });
      void message.success(t('places.photos.uploaded'));
    } catch (e) {
      void message.error(errorMessage(e));
    } finally {
      setUploading((n) => n - 1);
    }
  }

  async function remove(photoId: string) {
    try {
      await deletePhoto.mutateAsync({ id: place.id, photoId });
      void message.success(t('places.photos.deleted'));
    } catch (e) {
      void message.error(errorMessage(e));
    }
  }

  return (
    <div data-testid="place-photos">
      {place.photos.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('places.photos.none')} />
      ) : (
        <Image.PreviewGroup>
          <Space wrap size={12}>
            {place.photos.map((p, i) => (
              <div key={p.id} style={{ position: 'relative' }}>
                <Image src={p.url} width={128} height={96} style={{ objectFit: 'cover', borderRadius: 6 }} alt={t('places.photos.alt', { name: place.name, n: i + 1 })} />
                {editable && (
                  <Popconfirm title={t('places.photos.deleteConfirm')} okText={t('places.photos.delete')} okButtonProps={{ danger: true }} cancelText={t('common:actions.cancel')} onConfirm={() => remove(p.id)}>
                    <Button
                      size="small"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label={t('places.photos.deleteN', { n: i + 1 })}
                      style={{ position: 'absolute', top: 4, right: 4 }}
                    />
                  </Popconfirm>
                )}
              </div>
            ))}
          </Space>
        </Image.PreviewGroup>
      )}
      {editable && (
        <div style={{ marginTop: 12 }}>
          <Upload
            accept={imageTypes.join(',')}
            multiple
            showUploadList={false}
            disabled={full}
            customRequest={({ file, onSuccess, onError }) => {
              void upload(file as File).then(
                () => onSuccess?.({}),
                (e: Error) => onError?.(e),
              );
            }}
          >
            <Button icon={<UploadOutlined />} loading={uploading > 0} disabled={full}>
              {t('places.photos.upload')}
            </Button>
          </Upload>
          <Typography.Text type="secondary" style={{ marginLeft: 12 }}>
            {t('places.photos.hint', { count: place.photos.length, max: MAX_PHOTOS })}
          </Typography.Text>
        </div>
      )}
    </div>
  );
}
